// Tests for Rules.
