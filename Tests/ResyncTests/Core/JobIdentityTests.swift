import ResyncCore
import Testing

@Suite("Job identity: the id Resync prints is HWA's")
struct JobIdentityTests {
    @Test(
        "qualifiedName names the job stream's workstation and folder",
        arguments: [
            ("MASTER", "MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL"),
            ("/MASTER", "MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL"),
            // Without the stream's workstation, the job's own is all there is to print.
            (nil, "AGENT_LNX01#/FINANCE/PAYROLL.PAYROLL_FINAL"),
            ("", "AGENT_LNX01#/FINANCE/PAYROLL.PAYROLL_FINAL"),
        ] as [(String?, String)])
    func qualifiedName(streamWorkstation: String?, expected: String) {
        let job = Job(
            id: "j1", name: "PAYROLL_FINAL", folder: "/FINANCE", workstation: "/AGENT_LNX01",
            jobStreamName: "PAYROLL", jobStreamWorkstation: streamWorkstation, commonStatus: .error)
        #expect(job.qualifiedName == expected)
    }

    @Test(
        "the root folder prints no folder; any spelling of another folder prints as conman selects it",
        arguments: [
            ("/", "MASTER#PAYROLL.PAYROLL_FINAL"), ("", "MASTER#PAYROLL.PAYROLL_FINAL"),
            ("/FINANCE/", "MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL"),
            ("FINANCE", "MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL"),
            ("/FINANCE/EU", "MASTER#/FINANCE/EU/PAYROLL.PAYROLL_FINAL"),
        ])
    func folders(folder: String, expected: String) {
        let job = Job(
            id: "j1", name: "PAYROLL_FINAL", folder: folder, workstation: "AGENT_LNX01", jobStreamName: "PAYROLL",
            jobStreamWorkstation: "/MASTER", commonStatus: .error)
        #expect(job.qualifiedName == expected)
        #expect(job.qualifiedName(withFolder: false) == "MASTER#PAYROLL.PAYROLL_FINAL")
    }

    @Test(
        "a job name written with its stream's folder names the job, and the job in that folder",
        arguments: [
            ("MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL", "PAYROLL_FINAL", "/FINANCE/PAYROLL_FINAL"),
            ("master#/finance/eu/payroll.payroll_final", "PAYROLL_FINAL", "/FINANCE/EU/PAYROLL_FINAL"),
            ("MASTER#PAYROLL.PAYROLL_FINAL", "PAYROLL_FINAL", "/PAYROLL_FINAL"),
            ("/FINANCE/PAYROLL_FINAL", "PAYROLL_FINAL", "/FINANCE/PAYROLL_FINAL"),
        ])
    func patternsReadTheFolderForm(written: String, base: String, qualified: String) {
        #expect(JobNamePattern.baseName(written) == base)
        #expect(JobNamePattern.qualifiedName(written) == qualified)
    }

    @Test(
        "the id is read back into workstation, folder, stream and job",
        arguments: [
            ("MASTER#PAYROLL.PAYROLL_FINAL", "MASTER", nil, "PAYROLL", "PAYROLL_FINAL"),
            ("MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL", "MASTER", "/FINANCE", "PAYROLL", "PAYROLL_FINAL"),
            ("MASTER#FINANCE/EU/PAYROLL.PAYROLL_FINAL", "MASTER", "/FINANCE/EU", "PAYROLL", "PAYROLL_FINAL"),
            ("MASTER#/PAYROLL.PAYROLL_FINAL", "MASTER", "/", "PAYROLL", "PAYROLL_FINAL"),
        ] as [(String, String, String?, String, String)])
    func readBack(text: String, workstation: String, folder: String?, stream: String, job: String) throws {
        let id = try #require(QualifiedJobName(text))
        #expect(id.workstation == workstation && id.folder == folder && id.jobStream == stream && id.job == job)
    }

    @Test(
        "what is not an id",
        arguments: ["PAYROLL_FINAL", "/FINANCE/PAYROLL_FINAL", "WS#JOB", "#S.J", "WS#.J", "WS#S.", "WS#/.J"])
    func notAnID(text: String) {
        #expect(QualifiedJobName(text) == nil)
    }

    @Test func printedIDsReadBack() throws {
        let job = Job(
            id: "j1", name: "PAYROLL_FINAL", folder: "/FINANCE/EU", workstation: "AGENT_LNX01",
            jobStreamName: "PAYROLL", jobStreamWorkstation: "/MASTER", commonStatus: .error)
        let id = try #require(QualifiedJobName(job.qualifiedName))
        #expect(id.folder == job.folder && id.jobStream == job.jobStreamName && id.job == job.name)
    }
}
