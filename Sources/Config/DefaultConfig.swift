extension LookoutConfig {
    /// The config `lookout run` uses without `--config` when `/etc/lookout/lookout.yml` is absent:
    /// host metrics, a self-scrape, a probe of its own `/-/healthy`, two alerts, all to the log.
    /// Load it with `ConfigLoader.loadDefault`, passing `dataDirOverride` when
    /// `/var/lib/lookout` is not writable.
    public static let defaultYAML = """
        # Lookout's built-in configuration (used when no config file is given or found).
        global:
          scrape_interval: 15s
          evaluation_interval: 15s
          data_dir: /var/lib/lookout
          retention: 30d
          listen: 127.0.0.1:9464

        host_metrics: true

        scrape:
          - job: lookout
            targets: [127.0.0.1:9464]

        checks:
          - name: lookout-self
            http: http://127.0.0.1:9464/-/healthy
            interval: 30s
            timeout: 5s

        alerts:
          - name: LookoutSelfCheckFailing
            check_failing: lookout-self
            for: 2m
            severity: critical
            annotations:
              summary: "Lookout cannot reach its own health endpoint"
          - name: HighMemory
            expr: 1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.9
            for: 10m
            severity: warning
            annotations:
              summary: "Memory use at {{ $value | humanizePercentage }} on {{ $labels.instance }}"

        notify:
          channels:
            journal:
              log: {}
          default_channels: [journal]
          group_by: [alertname]

        """
}
