// Tests for Collect.
