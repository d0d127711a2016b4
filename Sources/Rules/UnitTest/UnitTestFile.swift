/// A `promtool test rules` file.
struct UnitTestFile: Decodable {
    var ruleFiles: [String]?
    var evaluationInterval: String?
    var groupEvalOrder: [String]?
    var tests: [TestGroup]?

    enum CodingKeys: String, CodingKey {
        case ruleFiles = "rule_files", evaluationInterval = "evaluation_interval", groupEvalOrder = "group_eval_order", tests
    }

    struct TestGroup: Decodable {
        var interval: String?
        var inputSeries: [InputSeries]?
        var alertRuleTest: [AlertTestCase]?
        var promqlExprTest: [ExprTestCase]?
        var externalLabels: [String: String]?
        var externalURL: String?
        var name: String?

        enum CodingKeys: String, CodingKey {
            case interval, name
            case inputSeries = "input_series", alertRuleTest = "alert_rule_test", promqlExprTest = "promql_expr_test"
            case externalLabels = "external_labels", externalURL = "external_url"
        }
    }

    struct InputSeries: Decodable {
        var series: String
        var values: String
    }

    struct AlertTestCase: Decodable {
        var evalTime: String?
        var alertname: String?
        var expAlerts: [ExpectedAlert]?

        enum CodingKeys: String, CodingKey { case evalTime = "eval_time", alertname, expAlerts = "exp_alerts" }
    }

    struct ExpectedAlert: Decodable {
        var expLabels: [String: String]?
        var expAnnotations: [String: String]?

        enum CodingKeys: String, CodingKey { case expLabels = "exp_labels", expAnnotations = "exp_annotations" }
    }

    struct ExprTestCase: Decodable {
        var expr: String
        var evalTime: String?
        var expSamples: [ExpectedSample]?

        enum CodingKeys: String, CodingKey { case expr, evalTime = "eval_time", expSamples = "exp_samples" }
    }

    struct ExpectedSample: Decodable {
        var labels: String?
        var value: Double
    }
}
