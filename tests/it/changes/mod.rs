mod mocked;
mod moto;
