mod mocked;
mod moto;
mod snapshots;
