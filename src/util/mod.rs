//! The bottom floor: small text and time helpers with no knowledge of ECS, used by every
//! layer above.

pub mod text;
pub mod time;
