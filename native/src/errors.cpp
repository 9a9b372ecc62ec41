// Thread-local last-error storage; C# fetches (and frees) the message after a failed call.
#include <cstdlib>
#include <cstring>
#include "common.h"

namespace atn {
namespace {
thread_local std::string last_error;
thread_local bool has_error = false;
}  // namespace

void set_error(const char* message) {
  last_error = message != nullptr ? message : "(no message)";
  has_error = true;
}
}  // namespace atn

extern "C" ATN_API char* atn_last_error(void) {
  if (!atn::has_error) return nullptr;
  atn::has_error = false;
  char* copy = static_cast<char*>(std::malloc(atn::last_error.size() + 1));
  if (copy != nullptr) std::memcpy(copy, atn::last_error.c_str(), atn::last_error.size() + 1);
  return copy;
}

extern "C" ATN_API void atn_free_string(char* s) { std::free(s); }
