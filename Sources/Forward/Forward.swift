/// Hand-off to distributed systems once one machine is not enough: Prometheus remote write
/// (`RemoteWrite/`) and alert forwarding to Alertmanager clusters (`Alertmanager/`).
enum Forward {}
