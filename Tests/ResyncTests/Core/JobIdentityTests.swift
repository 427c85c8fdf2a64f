import ResyncCore
import Testing

@Suite("Job identity: the id Resync prints is HWA's")
struct JobIdentityTests {
    @Test(
        "qualifiedName names the job stream's workstation",
        arguments: [
            ("MASTER", "MASTER#PAYROLL.PAYROLL_FINAL"),
            ("/MASTER", "MASTER#PAYROLL.PAYROLL_FINAL"),
            // Without the stream's workstation, the job's own is all there is to print.
            (nil, "AGENT_LNX01#PAYROLL.PAYROLL_FINAL"),
            ("", "AGENT_LNX01#PAYROLL.PAYROLL_FINAL"),
        ] as [(String?, String)])
    func qualifiedName(streamWorkstation: String?, expected: String) {
        let job = Job(
            id: "j1", name: "PAYROLL_FINAL", folder: "/FINANCE", workstation: "/AGENT_LNX01",
            jobStreamName: "PAYROLL", jobStreamWorkstation: streamWorkstation, commonStatus: .error)
        #expect(job.qualifiedName == expected)
    }
}
