//! Analysis of the coded corpus: themes compared between groups of sessions or speakers
//! ([`compare`]), and the statistics behind every test and coefficient qualkit reports:
//! log-likelihood, chi-square and corrections ([`stats`]), and the agreement coefficients
//! between coders ([`agreement`]).

pub mod agreement;
pub mod compare;
pub mod stats;
