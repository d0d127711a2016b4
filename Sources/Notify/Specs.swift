import Model

/// Everything the notifier needs from the configuration, mapped by the daemon from `Config`.
/// Durations are milliseconds.
public struct NotifySettings: Sendable {
    /// The root of the routing tree: its matchers are ignored, its channels are `default_channels`,
    /// its group settings are the global ones and its children are the configured routes.
    public var route: RouteSpec
    /// Channels by name.
    public var channels: [String: ChannelSpec]
    /// Inhibition rules.
    public var inhibitRules: [InhibitRule]
    /// Retry and expiry of queued notifications.
    public var delivery: DeliveryPolicy
    /// Base URL of Lookout's own status page, linked from notifications ("" for none).
    public var externalURL: String
    /// How long a firing alert that the rules stopped handing in stays firing before it resolves.
    public var resolveTimeout: Int64

    public init(route: RouteSpec, channels: [String: ChannelSpec], inhibitRules: [InhibitRule] = [],
                delivery: DeliveryPolicy = DeliveryPolicy(), externalURL: String = "",
                resolveTimeout: Int64 = 300_000) {
        self.route = route
        self.channels = channels
        self.inhibitRules = inhibitRules
        self.delivery = delivery
        self.externalURL = externalURL
        self.resolveTimeout = resolveTimeout
    }
}

/// One node of the routing tree. Optional settings inherit from the parent route.
public struct RouteSpec: Sendable {
    /// All must match (`match:` equalities and `matchers:` alike).
    public var matchers: [Matcher]
    /// Channels notified for alerts that stop at this route.
    public var channels: [String]
    /// Keep matching sibling routes after this one matched.
    public var continueMatching: Bool
    /// Labels to group by; `["..."]` groups by all labels.
    public var groupBy: [String]?
    /// How long a new group waits for more alerts before its first notification (ms).
    public var groupWait: Int64?
    /// How long a group waits before notifying about new or resolved alerts (ms).
    public var groupInterval: Int64?
    /// How long before an unchanged firing group is notified again (ms).
    public var repeatInterval: Int64?
    /// Whether resolved alerts are notified.
    public var sendResolved: Bool?
    /// Child routes, tried in order.
    public var routes: [RouteSpec]

    /// The longest `repeat_interval` set on this route or any route below it (ms, 0 when none is
    /// set): the notification log must remember a group at least that long.
    public var longestRepeatInterval: Int64 {
        routes.reduce(repeatInterval ?? 0) { max($0, $1.longestRepeatInterval) }
    }

    public init(matchers: [Matcher] = [], channels: [String] = [], continueMatching: Bool = false,
                groupBy: [String]? = nil, groupWait: Int64? = nil, groupInterval: Int64? = nil,
                repeatInterval: Int64? = nil, sendResolved: Bool? = nil, routes: [RouteSpec] = []) {
        self.matchers = matchers
        self.channels = channels
        self.continueMatching = continueMatching
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.sendResolved = sendResolved
        self.routes = routes
    }
}

/// An inhibition rule: a firing alert matching `source` mutes alerts matching `target`
/// when both have the same values for every label in `equal`.
public struct InhibitRule: Sendable, Hashable {
    /// Matchers a firing alert must satisfy to inhibit others.
    public var source: [Matcher]
    /// Matchers an alert must satisfy to be inhibited.
    public var target: [Matcher]
    /// Labels whose values must be equal on source and target (missing on both counts as equal).
    public var equal: [String]

    public init(source: [Matcher], target: [Matcher], equal: [String] = []) {
        self.source = source
        self.target = target
        self.equal = equal
    }
}

/// Retry policy of the durable outbox. Milliseconds.
public struct DeliveryPolicy: Sendable, Hashable {
    /// First retry delay; doubled per attempt.
    public var initialBackoff: Int64
    /// Upper bound of one delay.
    public var maxBackoff: Int64
    /// Queued notifications older than this are dropped with an error.
    public var maxAge: Int64
    /// Time allowed for one delivery attempt.
    public var timeout: Int64
    /// Deliveries in flight per channel. Notifications of one alert group are always delivered in
    /// queue order; with 1 the whole channel is strictly first-in first-out.
    public var parallelism: Int

    public init(initialBackoff: Int64 = 1000, maxBackoff: Int64 = 300_000, maxAge: Int64 = 86_400_000,
                timeout: Int64 = 30_000, parallelism: Int = 8) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxAge = maxAge
        self.timeout = timeout
        self.parallelism = max(1, parallelism)
    }
}

/// One configured channel: exactly one kind.
public enum ChannelSpec: Sendable, Hashable {
    case slack(SlackSpec)
    case email(EmailSpec)
    case pagerduty(PagerDutySpec)
    case webhook(WebhookSpec)
    case log
}

/// A Slack incoming webhook.
public struct SlackSpec: Sendable, Hashable {
    /// Secret: never logged.
    public var webhookURL: String
    /// Overrides the webhook's default channel, when the webhook allows it.
    public var channel: String?
    /// Overrides the webhook's default user name.
    public var username: String?

    public init(webhookURL: String, channel: String? = nil, username: String? = nil) {
        self.webhookURL = webhookURL
        self.channel = channel
        self.username = username
    }
}

/// SMTP delivery. `url` is `smtp://host:port` (STARTTLS unless `tls` is `.none`) or `smtps://host:port`.
public struct EmailSpec: Sendable, Hashable {
    /// How the SMTP connection is protected.
    public enum TLS: String, Sendable, Hashable {
        /// `smtp://` with STARTTLS required; `smtps://` implicit TLS.
        case required
        /// Plain SMTP (`tls: none`).
        case none
    }

    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var tls: TLS
    /// AUTH user name; AUTH is used when set (PLAIN or LOGIN, as the server offers).
    public var username: String?
    /// Secret: never logged.
    public var password: String?
    public var from: String
    public var to: [String]
    /// Extra CA bundle (PEM) to trust, e.g. a private relay's self-signed certificate.
    public var caFile: String?

    public init(url: String, tls: TLS = .required, username: String? = nil, password: String? = nil,
                from: String, to: [String], caFile: String? = nil) {
        self.url = url
        self.tls = tls
        self.username = username
        self.password = password
        self.from = from
        self.to = to
        self.caFile = caFile
    }
}

/// PagerDuty Events API v2.
public struct PagerDutySpec: Sendable, Hashable {
    /// Secret: never logged.
    public var routingKey: String
    /// The Events API v2 endpoint.
    public var url: String
    /// `payload.source`; defaults to the instance label or "lookout".
    public var source: String?
    /// `payload.component`; defaults to the common `service` or `job` label.
    public var component: String?
    /// `payload.group`; defaults to the common `team` label.
    public var group: String?

    public init(routingKey: String, url: String = "https://events.pagerduty.com/v2/enqueue",
                source: String? = nil, component: String? = nil, group: String? = nil) {
        self.routingKey = routingKey
        self.url = url
        self.source = source
        self.component = component
        self.group = group
    }
}

/// A generic webhook receiving the Alertmanager webhook payload (version 4).
public struct WebhookSpec: Sendable, Hashable {
    /// Secret (may carry a token): never logged in full.
    public var url: String
    /// Secret: sent as `Authorization: Bearer …`.
    public var bearerToken: String?
    /// Truncate the alert list to this many (0 = all), as Alertmanager's `max_alerts`.
    public var maxAlerts: Int

    public init(url: String, bearerToken: String? = nil, maxAlerts: Int = 0) {
        self.url = url
        self.bearerToken = bearerToken
        self.maxAlerts = maxAlerts
    }
}
