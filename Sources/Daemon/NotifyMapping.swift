import Config
import Notify

/// Maps the validated `notify:` config onto the notifier's own settings.
enum NotifyMapping {
    static func settings(_ config: LookoutConfig) -> NotifySettings {
        let notify = config.notify
        let children = notify.routes.map { routeSpec($0, parentChannels: notify.defaultChannels) }
        let root = RouteSpec(
            channels: notify.defaultChannels, groupBy: notify.groupBy, groupWait: notify.groupWait,
            groupInterval: notify.groupInterval, repeatInterval: notify.repeatInterval,
            sendResolved: notify.sendResolved, routes: children)
        var channels: [String: ChannelSpec] = [:]
        for channel in notify.channels { channels[channel.name] = spec(channel.kind) }
        let inhibit = notify.inhibit.map { Notify.InhibitRule(source: $0.source, target: $0.target, equal: $0.equal) }
        return NotifySettings(
            route: root, channels: channels, inhibitRules: inhibit,
            delivery: DeliveryPolicy(maxAge: notify.maxAge),
            externalURL: externalURL(config))
    }

    /// One configured route and its nested routes; a route without channels uses its parent's.
    static func routeSpec(_ route: RouteConfig, parentChannels: [String]) -> RouteSpec {
        let channels = route.channels.isEmpty ? parentChannels : route.channels
        return RouteSpec(
            matchers: route.matchers, channels: channels, continueMatching: route.continueMatching,
            groupBy: route.groupBy, groupWait: route.groupWait, groupInterval: route.groupInterval,
            repeatInterval: route.repeatInterval, sendResolved: route.sendResolved,
            routes: route.routes.map { routeSpec($0, parentChannels: channels) })
    }

    static func externalURL(_ config: LookoutConfig) -> String {
        if let url = config.global.externalURL { return url }
        if let listen = config.global.listen { return "http://\(listen)" }
        return ""
    }

    static func spec(_ kind: ChannelConfig.Kind) -> ChannelSpec {
        switch kind {
        case .slack(let slack):
            return .slack(SlackSpec(webhookURL: slack.webhookURL.value))
        case .pagerduty(let pd):
            return .pagerduty(PagerDutySpec(routingKey: pd.routingKey.value, url: pd.url))
        case .email(let email):
            return .email(EmailSpec(url: email.smtpURL, tls: email.tls == .none ? .none : .required,
                                    username: email.username, password: email.password?.value,
                                    from: email.from, to: email.to, caFile: email.caFile))
        case .webhook(let hook):
            return .webhook(WebhookSpec(url: hook.url.value, bearerToken: hook.bearerToken?.value))
        case .log:
            return .log
        }
    }
}
