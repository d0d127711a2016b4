// Tests for Notify.
