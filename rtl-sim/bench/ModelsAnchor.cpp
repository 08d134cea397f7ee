//===- ModelsAnchor.cpp - The one hand-written source of snncore_models ---===//
//
// snncore_models is the Verilated models and the Verilator runtime, all
// generated; CMake needs a source of its own to create the library before
// verilate() adds them.
//
//===----------------------------------------------------------------------===//
namespace snncore {
int modelsAnchor() { return 0; }
} // namespace snncore
