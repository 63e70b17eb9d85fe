mod chat_schema;
mod injection;
mod snapshots;
