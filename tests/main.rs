//! Integration tests, compiled into one binary (one link, one LibreOffice render shared).

mod cli;
mod common;
mod render;
mod template_xml;
