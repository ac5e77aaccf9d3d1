// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Only cblas_sgemm is used, for the encoder's matrix products.
#include <cblas.h>
