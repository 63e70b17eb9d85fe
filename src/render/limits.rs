//! The limits every format obeys, in one place (the helpers that enforce them are in
//! [`crate::util::text`]).

/// SNS `Publish`: the whole message, all protocol bodies together, at most 256 KiB.
pub const MAX_SNS_MESSAGE_BYTES: usize = 256 * 1024;
/// SNS `Subject`: ASCII, no line breaks, fewer than 100 characters.
pub const MAX_SUBJECT_CHARS: usize = 99;
/// Amazon Q Developer custom notifications: field limits.
pub const CHAT_TITLE_CHARS: usize = 250;
pub const CHAT_DESCRIPTION_CHARS: usize = 8000;
pub const CHAT_NEXT_STEP_CHARS: usize = 350;
pub const CHAT_KEYWORD_CHARS: usize = 75;
/// An SMS should fit in one or two segments.
pub const SMS_CHARS: usize = 140;
