// Tests for Exposition.
