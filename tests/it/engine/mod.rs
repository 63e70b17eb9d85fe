mod blind;
mod input_limits;
mod properties;
mod real_world;
mod seed_table;
mod texts;
mod vocabulary;
