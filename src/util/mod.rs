//! The bottom floor: small text, time and duration helpers with no knowledge of ECS, used by
//! every layer above.

pub mod duration;
pub mod text;
pub mod time;
