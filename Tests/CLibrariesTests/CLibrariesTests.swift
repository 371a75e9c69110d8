import CLMDB
import COpenBLAS
import CSystemd
import Testing

/// The three system libraries link and answer: a failure here means Scripts/bootstrap is incomplete.
@Suite struct CLibrariesTests {
    @Test func openBLASMultipliesAndLAPACKDecomposes() {
        var c = [Float](repeating: 0, count: 4)
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
        var m: [Float] = [2, 1, 1, 2]
        var w = [Float](repeating: 0, count: 2)
        var n: Int32 = 2, lda: Int32 = 2, info: Int32 = 0, lwork: Int32 = 64, liwork: Int32 = 16
        var work = [Float](repeating: 0, count: 64), iwork = [Int32](repeating: 0, count: 16)
        ssyevd_("V", "U", &n, &m, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        #expect(info == 0)
        #expect(abs(w[0] - 1) < 1e-5 && abs(w[1] - 3) < 1e-5)
    }

    @Test func lmdbAndSystemdLink() {
        #expect(String(cString: mdb_version(nil, nil, nil)).hasPrefix("LMDB 0.9"))
        #expect(SD_LISTEN_FDS_START == 3)
    }
}
