// map(fd, offset, length): a read-only, shared memory map of part of an open
// file as a Buffer. Writing a Buffer to a socket copies it once, in the
// kernel; reading the file into a Buffer first would be a second copy, which
// on a busy machine halves what a large GetObject can serve. The mapping is
// undone when the Buffer is garbage collected.
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <node_api.h>

// Marks the Buffers map() returns, so release() refuses any other memory
// (madvise(DONTNEED) on a heap Buffer would zero it).
static const napi_type_tag MAPPED = {0x6865726164a1d001ULL, 0x6d61707065640001ULL};

static void unmap(napi_env env, void* data, void* hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value fail(napi_env env, const char* code, const char* message) {
  napi_throw_error(env, code, message);
  return NULL;
}

static int get_integer(napi_env env, napi_value value, int64_t* out) {
  double number;
  if (napi_get_value_double(env, value, &number) != napi_ok) return 0;
  // Only exact, non-negative integers below 2^53: anything else is a caller bug.
  if (!(number >= 0 && number <= 9007199254740991.0) || number != (double)(int64_t)number) return 0;
  *out = (int64_t)number;
  return 1;
}

static napi_value map(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc != 3) {
    return fail(env, "ERR_INVALID_ARG", "map(fd, offset, length) takes three arguments");
  }
  int64_t fd, offset, length;
  if (!get_integer(env, args[0], &fd) || fd > INT32_MAX) return fail(env, "ERR_INVALID_ARG", "fd must be a file descriptor");
  if (!get_integer(env, args[1], &offset)) return fail(env, "ERR_INVALID_ARG", "offset must be a non-negative integer");
  if (!get_integer(env, args[2], &length) || length == 0) return fail(env, "ERR_INVALID_ARG", "length must be a positive integer");
  if (offset % sysconf(_SC_PAGESIZE) != 0) return fail(env, "ERR_INVALID_ARG", "offset must be a multiple of the page size");

  void* data = mmap(NULL, (size_t)length, PROT_READ, MAP_SHARED, (int)fd, (off_t)offset);
  if (data == MAP_FAILED) return fail(env, "ERR_MMAP", strerror(errno));
  // No MADV_SEQUENTIAL: measured no faster for a 1 GiB GetObject, and it ages
  // the pages out of the page cache sooner, which the next reader would pay for.

  napi_value buffer;
  if (napi_create_external_buffer(env, (size_t)length, data, unmap, (void*)(uintptr_t)length, &buffer) != napi_ok) {
    munmap(data, (size_t)length);
    return fail(env, "ERR_MMAP", "could not wrap the mapping in a Buffer");
  }
  napi_type_tag_object(env, buffer, &MAPPED);
  return buffer;
}

// release(buffer, from, to): drops this process's page table entries for the
// whole pages of buffer[from, to), which must be a Buffer returned by map().
// The pages stay in the page cache and the Buffer stays valid: touching them
// again maps them back in. A reader that releases what it has sent keeps its
// resident size flat however large the file.
static napi_value release(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc != 3) {
    return fail(env, "ERR_INVALID_ARG", "release(buffer, from, to) takes three arguments");
  }
  void* data;
  size_t length;
  int64_t from, to;
  bool ours = false;
  napi_check_object_type_tag(env, args[0], &MAPPED, &ours);
  if (!ours || napi_get_buffer_info(env, args[0], &data, &length) != napi_ok) return fail(env, "ERR_INVALID_ARG", "buffer must be a Buffer from map()");
  long page = sysconf(_SC_PAGESIZE);
  if (!get_integer(env, args[1], &from) || !get_integer(env, args[2], &to) || from > to || (uint64_t)to > length) {
    return fail(env, "ERR_INVALID_ARG", "from and to must be offsets within the buffer, from <= to");
  }
  // Whole pages only: round the start up and the end down.
  int64_t first = (from + page - 1) / page * page;
  int64_t last = to / page * page;
  if (last > first && madvise((char*)data + first, (size_t)(last - first), MADV_DONTNEED) != 0) {
    return fail(env, "ERR_MMAP", strerror(errno));
  }
  return NULL;
}

static napi_value page_size(napi_env env) {
  napi_value value;
  napi_create_int64(env, (int64_t)sysconf(_SC_PAGESIZE), &value);
  return value;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "map", NAPI_AUTO_LENGTH, map, NULL, &fn);
  napi_set_named_property(env, exports, "map", fn);
  napi_create_function(env, "release", NAPI_AUTO_LENGTH, release, NULL, &fn);
  napi_set_named_property(env, exports, "release", fn);
  napi_set_named_property(env, exports, "pageSize", page_size(env));
  return exports;
}
