import Foundation
import ResyncCore
import Testing

@Suite("Chat access policy")
struct ChatAccessPolicyTests {
    @Test(
        "globs",
        arguments: [
            ("PAYROLL_*", "PAYROLL_FINAL", true), ("payroll_*", "PAYROLL_FINAL", true), ("PAY?ROLL", "PAYXROLL", true),
            ("*_FINAL", "PAYROLL_FINAL", true), ("*", "", true), ("BILLING_*", "PAYROLL_FINAL", false),
            ("PAY*ROLL*X", "PAYROLL_FINAL", false), ("A*B*C", "AxxBxxC", true), ("", "X", false),
            // HWA's own wildcard, as in alert routes.
            ("PAYROLL_@", "PAYROLL_FINAL", true), ("@_FINAL", "PAYROLL_FINAL", true), ("ETL_@", "PAYROLL_FINAL", false),
        ])
    func globs(pattern: String, value: String, expected: Bool) {
        #expect(Glob.matches(pattern: pattern, value) == expected)
    }

    @Test func rulesGrantPerChannelAndUserWithDefault() throws {
        let json = """
            {
              "defaultAllow": true,
              "rules": [
                {"channels": ["C_PAY"], "jobs": ["PAYROLL_*"], "workstations": ["CPU_PAY*"]},
                {"users": ["U_AUDITOR"], "jobStreams": ["BILLING*"]}
              ],
              "alertChannels": [{"platform": "slack", "channel": "C_OPS"}, {"platform": "slack", "channel": "C_PAY", "jobs": ["PAYROLL_*"]}]
            }
            """
        let policy = try JSONDecoder().decode(ChatAccessPolicy.self, from: Data(json.utf8))
        let payroll = AccessObject(jobName: "PAYROLL_FINAL", jobStream: "NIGHTLY", workstation: "CPU_PAY1")
        let billing = AccessObject(jobName: "BILL_1", jobStream: "BILLING_DAILY", workstation: "CPU_B")
        #expect(policy.allows(payroll, channel: "C_PAY", user: "U1"))
        #expect(!policy.allows(billing, channel: "C_PAY", user: "U1"))
        // A user rule adds to the channel's.
        #expect(policy.allows(billing, channel: "C_PAY", user: "U_AUDITOR"))
        // Channels with no rule use the default.
        #expect(policy.allows(billing, channel: "C_OTHER", user: "U1"))
        #expect(!ChatAccessPolicy(defaultAllow: false).allows(billing, channel: "C_OTHER", user: "U1"))
        #expect(
            policy.alertChannels == [
                .init(platform: .slack, channel: "C_OPS"),
                .init(platform: .slack, channel: "C_PAY", jobs: ["PAYROLL_*"]),
            ])
    }

    @Test func shippedPolicyFileParses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Config/access.json")
        let policy = try JSONDecoder().decode(ChatAccessPolicy.self, from: Data(contentsOf: url))
        #expect(policy.defaultAllow)
        #expect(!policy.rules.isEmpty)
    }
}
