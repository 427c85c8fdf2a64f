#if canImport(Glibc)
    import Glibc
#endif

/// Hands the memory an import freed back to the operating system. glibc keeps freed heap pages in its arenas,
/// so without this a server's resident size would stay at the peak of its largest import for its whole life.
public enum FreedMemory {
    public static func release() {
        #if canImport(Glibc)
            // `malloc_trim` is declared in <malloc.h>, which the Glibc module does not export: look it up instead.
            typealias MallocTrim = @convention(c) (Int) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
