// OpenBLAS's CBLAS interface, plus the LAPACK routines we call. Debian's libopenblas-dev ships no
// lapacke.h, so the Fortran entry points (exported by libopenblas) are declared here directly.
#include <cblas.h>

/// Symmetric eigendecomposition, divide and conquer (LAPACK SSYEVD). Column-major.
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info);
/// Symmetric eigendecomposition in double precision (LAPACK DSYEVD). Column-major.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
