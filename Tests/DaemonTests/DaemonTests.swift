// Tests for Daemon.
