//! Analysis of the coded corpus: themes compared between groups of sessions or speakers
//! ([`compare`]), and the statistics behind every test and coefficient qualkit reports:
//! log-likelihood, chi-square and corrections ([`stats`]), and the agreement coefficients
//! between coders ([`agreement`]), and inter-rater reliability of ratings at every level of
//! measurement, with intervals ([`reliability`]).

pub mod agreement;
pub mod compare;
pub mod reliability;
pub mod stats;
