import ResyncCore
import Testing

@Suite("Duration conversions")
struct DurationConversionTests {
    @Test(
        arguments: [
            (Duration.seconds(2), 2.0, 2_000.0), (.milliseconds(1_500), 1.5, 1_500.0),
            (.microseconds(250), 0.000_25, 0.25), (.zero, 0, 0),
        ])
    func secondsAndMilliseconds(duration: Duration, seconds: Double, milliseconds: Double) {
        #expect(abs(duration.inSeconds - seconds) < 1e-12)
        #expect(abs(duration.inMilliseconds - milliseconds) < 1e-9)
    }
}
