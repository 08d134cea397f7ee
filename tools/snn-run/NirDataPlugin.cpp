//===- NirDataPlugin.cpp - Opening the NIRData writer module --------------===//
//
// See NirDataPlugin.h. The module itself is NirDataModule.cpp.
//
//===----------------------------------------------------------------------===//
#include "NirDataPlugin.h"

#include <cstdlib>
#include <filesystem>

#include <dlfcn.h>

namespace snnc::snnrun {

StatusOr<WriteNirDataFn *> loadNirDataWriter() {
  static WriteNirDataFn *loaded = nullptr;
  if (loaded)
    return loaded;
  std::string path;
  if (const char *env = std::getenv("SNNC_NIRDATA_MODULE"); env && *env) {
    path = env;
  } else {
    std::error_code ec;
    std::filesystem::path exe =
        std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
      return Status(StatusCode::kInternal,
                    "--nirdata: cannot locate snn-run itself to find "
                    "libsnnc-nirdata.so (" +
                        ec.message() +
                        "); set SNNC_NIRDATA_MODULE to its path");
    path = (exe.parent_path().parent_path() / "lib" / "libsnnc-nirdata.so")
               .string();
  }
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return Status(StatusCode::kNotFound,
                  "--nirdata needs the NIRData writer module " + path +
                      ", which does not load: " + dlerror());
  void *sym = dlsym(handle, kWriteNirDataSymbol);
  if (!sym)
    return Status(StatusCode::kInternal,
                  path + " has no " + kWriteNirDataSymbol +
                      "; it is not snnc's NIRData writer module");
  loaded = reinterpret_cast<WriteNirDataFn *>(sym);
  return loaded;
}

} // namespace snnc::snnrun
