"""PyNN unit tests (written against pyNN.mock) that pyNN.snnc is not
expected to pass, with the reason; docs/pynn.md keeps the same list."""

_MPI = ("emulates an MPI-distributed run by setting num_processes and mpi_rank by "
        "hand; snnc runs in one process")

KNOWN = {
    "test_population.PopulationTest.test_get_multiple_params_no_gather": _MPI,
    "test_population.PopulationTest.test_set_random_distribution_parallel_safe": _MPI,
    "test_population.PopulationTest.test_set_random_distribution_parallel_unsafe": _MPI,
    "test_assembly.AssemblyTest.test_get_multiple_params_no_gather": _MPI,
}
