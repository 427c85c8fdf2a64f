import Foundation
import Monitor
import ResyncCore
import TestSupport
import Testing

@Suite("Alert rules file")
struct MonitorRulesTests {
    @Test("the shipped Config/alert-routes.json parses")
    func shippedRules() throws {
        let path = RepositoryPaths.root.appendingPathComponent("Config/alert-routes.json").path
        let rules = try MonitorRules.load(path: path)
        #expect(!rules.routes.isEmpty)
        #expect(rules.storm.threshold >= 1)
    }

    @Test("a missing file means the defaults")
    func missingFile() throws {
        let rules = try MonitorRules.load(path: "/nonexistent/alert-routes.json")
        #expect(rules == MonitorRules())
    }

    @Test("a storm section with only some keys keeps the defaults for the others")
    func partialStorm() throws {
        #expect(try MonitorRules.parse(Data(#"{"storm": {"threshold": 3}}"#.utf8)).storm == StormRule(threshold: 3))
        #expect(
            try MonitorRules.parse(Data(#"{"storm": {"windowSeconds": 60}}"#.utf8)).storm
                == StormRule(threshold: StormRule().threshold, windowSeconds: 60))
    }

    @Test(
        "mistakes are reported with the place to fix",
        arguments: [
            (##"{"routes": [{"name": "x", "match": {}, "channels": {"irc": ["#a"]}}]}"##, "unknown platform 'irc'"),
            (#"{"storm": {"threshold": 0, "windowSeconds": 0}}"#, "storm.threshold"),
            (#"{"maintenanceWindows": [{"name": "w", "start": "25:00", "end": "02:00"}]}"#, "HH:mm"),
            (#"{"routes": [{"name": "x"}]}"#, "missing key routes[0].match"),
            (#"{"displayTimeZone": "Mars/Olympus"}"#, "IANA"),
        ])
    func invalid(json: String, expected: String) {
        let error = #expect(throws: MonitorConfigError.self) { _ = try MonitorRules.parse(Data(json.utf8)) }
        #expect(error.map { "\($0)".contains(expected) } == true, "\(String(describing: error))")
    }

    @Test("globs: * and @ match any run, ? one character, case-insensitively")
    func globs() {
        let job = Job(
            id: "1", name: "PAYROLL_FINAL", workstation: "/AGT01", jobStreamName: "NIGHTLY", commonStatus: .error)
        #expect(JobMatcher(job: "payroll_*").matches(job))
        #expect(JobMatcher(job: "PAY@").matches(job))
        #expect(JobMatcher(job: "PAYROLL_FINA?").matches(job))
        #expect(!JobMatcher(job: "PAYROLL").matches(job))
        #expect(JobMatcher(job: "AGT01#NIGHTLY.*").matches(job))
        #expect(JobMatcher(jobStream: "NIGHT*", workstation: "AGT0?").matches(job))
        #expect(!JobMatcher(job: "PAY*", workstation: "OTHER").matches(job))
    }

    @Test(
        "a WS#STREAM.JOB pattern without a folder matches the stream in any folder; one with a folder, in that one",
        arguments: [
            ("AGT01#NIGHTLY.*", true), ("AGT01#/FINANCE/NIGHTLY.*", true),
            ("agt01#/finance/nightly.payroll_final", true),
            ("AGT01#/HR/NIGHTLY.*", false), ("AGT01#/*/NIGHTLY.*", true),
        ])
    func folderPatterns(pattern: String, matches: Bool) {
        let job = Job(
            id: "1", name: "PAYROLL_FINAL", folder: "/FINANCE", workstation: "/AGT01", jobStreamName: "NIGHTLY",
            commonStatus: .error)
        #expect(JobMatcher(job: pattern).matches(job) == matches)
    }

    @Test("a weekly maintenance window past midnight belongs to the day it starts")
    func weeklyWindow() throws {
        let window = MaintenanceWindow(
            name: "sunday patching", days: ["sun"], start: "23:00", end: "02:00", timeZone: "America/Sao_Paulo")
        let formatter = ISO8601DateFormatter()
        // Sunday 2026-11-29 23:30 and Monday 01:30 in São Paulo (UTC-3) are inside; Monday 02:30 and Saturday are not.
        _ = try MonitorRules.parse(try JSONEncoder().encode(MonitorRules(maintenanceWindows: [window])))
        let muted = { (text: String) -> Bool in window.contains(formatter.date(from: text)!) }
        #expect(muted("2026-11-30T02:30:00Z"))
        #expect(muted("2026-11-30T04:30:00Z"))
        #expect(!muted("2026-11-30T05:30:00Z"))
        #expect(!muted("2026-11-29T02:30:00Z"))
    }
}
