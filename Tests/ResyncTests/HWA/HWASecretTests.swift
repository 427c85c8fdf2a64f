import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

@Suite("HWA secrets")
struct HWASecretTests {
    @Test("no credential appears in logs (at trace level) or in errors, whatever fails")
    func noSecretsAnywhere() async throws {
        let logs = CapturedLogs()
        let password = Secret("pw-\(UUID().uuidString)")
        let token = Secret("jwt-\(UUID().uuidString)")
        let basicHeader = Data("ops:\(password.value)".utf8).base64EncodedString()
        let credentials = SimulatorCredentials(basic: ["ops": password.value], bearerTokens: [token.value])
        let errors = try await withHWASimulator(scenario: SimulatorScenarios.manyJobs(2), credentials: credentials) {
            simulator, url in
            var errors: [String] = []
            for authentication in [HWAAuthentication.basic(user: "ops", password: password), .bearer(token)] {
                errors += try await withHWAClient(
                    baseURL: url, authentication: authentication,
                    configure: { $0.retry = HWARetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5)) },
                    logger: logs.logger(label: "test.secrets")
                ) { client in
                    var errors: [String] = []
                    _ = try await client.probe()
                    for faults in [
                        SimulatorFaults(failNext: 3), SimulatorFaults(unauthorized: true),
                        SimulatorFaults(truncateBodies: true),
                    ] {
                        await simulator.setFaults(faults)
                        do {
                            _ = try await client.jobs(matching: JobFilter(name: "PAGE_JOB_0001", bypassCache: true))
                        } catch {
                            errors.append("\(error)")
                        }
                    }
                    await simulator.setFaults(.none)
                    return errors
                }
            }
            return errors
        }
        #expect(errors.count == 6)
        let everything = logs.text + "\n" + errors.joined(separator: "\n")
        #expect(everything.contains("connected to HWA"))
        #expect(everything.contains("retrying HWA request"))
        for secret in [password.value, token.value, basicHeader] {
            #expect(!everything.contains(secret))
        }
    }
}
