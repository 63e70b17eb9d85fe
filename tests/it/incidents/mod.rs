mod hooks;
mod moto;
mod root_cause_mocked;
mod service_deployments;
mod snapshots;
