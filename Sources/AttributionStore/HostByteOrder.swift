// Record values are little-endian, and gradient blocks are handed out in place as `Int64` and
// float views, which is only correct when the host's byte order is the file's.
#if !_endian(little)
#error("AttributionStore reads little-endian records in place and needs a little-endian host")
#endif
