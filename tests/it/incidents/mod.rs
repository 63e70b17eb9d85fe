mod hooks;
mod moto;
mod root_cause_mocked;
mod snapshots;
