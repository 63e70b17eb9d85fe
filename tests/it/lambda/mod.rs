mod attack;
mod binary;
mod mocked;
mod moto;
mod sample_events;
