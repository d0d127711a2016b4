// Tests for Config.
