//! Tests of seal and handwriting finding on images drawn with the sample generator.
