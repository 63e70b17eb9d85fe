mod elb_capacity_logs_moto;
mod image_secrets_role_mocked;
mod image_secrets_role_moto;
mod network_elb_logs_mocked;
mod network_moto;
