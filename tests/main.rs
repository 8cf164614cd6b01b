//! Integration tests, compiled into one binary (one link, one LibreOffice render shared).

mod cli;
mod process;
mod common;
mod render;
mod review;
mod report;
mod samples;
mod scan;
mod template_xml;
