"""Cases of shared/benchmarks/column-dle-v1.md, and the salt case of README.md, set up for CADET-Core
(lumped rate model without pores), solved with its finite-volume (WENO3) and DG discretisations."""
import os
import signal
import shutil
import subprocess
import tempfile
import time

import numpy as np
from cadet import Cadet

# Inputs of column-dle-v1.md ("Inputs" table).
LENGTH = 1.0            # m
AREA = 0.01             # m²
VOIDAGE = 0.40
U_S = 10.0 / 3600       # superficial velocity, m/s
D_AX = 5.0e-6           # m²/s
FEED = 180.0 / 6.941    # mol/m³
QMAX = 6.0 * 1200 / 6.941   # mol/m³ solid
K_L = 0.15              # m³/mol
K_D = 1.0e-3            # 1/s
K_A = K_L * K_D         # m³/(mol·s)
K_LDF = 5.0e-3          # 1/s
FLOW = U_S * AREA       # m³/s
# The salt case (README.md, "The salt case"): chloride modulates Li's affinity, K(c_s) = K_0 e^{γ c_s}.
SALT = 1700.0           # mol/m³ chloride in the brine and the salt wash
GAMMA = 2.5e-3          # m³/mol
K_L0 = 2.0e-3           # m³/mol, affinity at zero chloride (0.140 in the brine)

CASES = {
    # name: (binding, dispersion, section end times)
    "dle": ("kinetic", D_AX, [0.0, 10_800.0, 25_200.0]),
    "thomas": ("kinetic", 0.0, [0.0, 12_000.0]),
    "ldf": ("ldf", 0.0, [0.0, 10_800.0]),
    "tracer": ("none", D_AX, [0.0, 3 * LENGTH / (U_S / VOIDAGE)]),
    "salt": ("mpm", D_AX, [0.0, 10_800.0, 11_520.0, 25_200.0]),
}


def inlet(case, section):
    """Inlet concentrations (mol/m³) of a section, one per component (salt first in the salt case)."""
    if case == "salt":
        return [[SALT, FEED], [SALT, 0.0], [0.0, 0.0]][section]
    return [FEED if section == 0 else 0.0]


def find_cadet_cli():
    path = shutil.which("cadet-cli")
    if path is None:
        raise RuntimeError("cadet-cli not found on PATH; is the venv active?")
    return path


def build(case, method, nodes, abstol=1e-8, reltol=1e-6, polydeg=4):
    binding, dispersion, sections = CASES[case]
    m = Cadet()
    m.root.input.model.nunits = 3
    ncomp = 2 if binding == "mpm" else 1
    unit = m.root.input.model.unit_000
    unit.unit_type = "INLET"
    unit.ncomp = ncomp
    unit.inlet_type = "PIECEWISE_CUBIC_POLY"
    nsec = len(sections) - 1
    for s in range(nsec):
        sec = unit[f"sec_{s:03d}"]
        sec.const_coeff = inlet(case, s)
        sec.lin_coeff = [0.0] * ncomp
        sec.quad_coeff = [0.0] * ncomp
        sec.cube_coeff = [0.0] * ncomp

    col = m.root.input.model.unit_001
    col.unit_type = "LUMPED_RATE_MODEL_WITHOUT_PORES"
    col.ncomp = ncomp
    col.col_length = LENGTH
    col.cross_section_area = AREA
    col.total_porosity = VOIDAGE
    col.col_dispersion = dispersion
    col.init_c = [0.0] * ncomp
    if binding == "mpm":
        # Component 0 the chloride (no bound state), component 1 Li; MPM_QMAX of the salt is never read.
        col.adsorption_model = "MOBILE_PHASE_MODULATOR"
        col.nbound = [0, 1]
        col.init_q = [0.0]
        col.adsorption.is_kinetic = 1
        col.adsorption.mpm_ka = [0.0, K_L0 * K_D]
        col.adsorption.mpm_kd = [0.0, K_D]
        col.adsorption.mpm_qmax = [1.0, QMAX]
        col.adsorption.mpm_gamma = [0.0, GAMMA]
        col.adsorption.mpm_beta = [0.0, 0.0]
        # CADET-Core 5.1 linearises the rate in c_s below this threshold; at 1e-20 mol/m³ the two agree for
        # any c_s ≥ 0 (at 0 itself its β-derivative term would be 0·∞).
        col.adsorption.mpm_linear_threshold = 1e-20
    elif binding == "kinetic":
        col.adsorption_model = "MULTI_COMPONENT_LANGMUIR"
        col.nbound = [1]
        col.init_q = [0.0]
        col.adsorption.is_kinetic = 1
        col.adsorption.mcl_ka = [K_A]
        col.adsorption.mcl_kd = [K_D]
        col.adsorption.mcl_qmax = [QMAX]
    elif binding == "ldf":
        col.adsorption_model = "MULTI_COMPONENT_LANGMUIR_LDF"
        col.nbound = [1]
        col.init_q = [0.0]
        col.adsorption.is_kinetic = 1
        col.adsorption.mclldf_keq = [K_L]
        col.adsorption.mclldf_kkin = [K_LDF]
        col.adsorption.mclldf_qmax = [QMAX]
    else:
        col.adsorption_model = "NONE"
        col.nbound = [0]
    disc = col.discretization
    if method == "FV":
        disc.spatial_method = "FV"
        disc.ncol = nodes
        disc.use_analytic_jacobian = 1
        disc.reconstruction = "WENO"
        disc.weno.boundary_model = 0
        disc.weno.weno_eps = 1e-10
        disc.weno.weno_order = 3
        disc.gs_type = 1
        disc.max_krylov = 0
        disc.max_restarts = 10
        disc.schur_safety = 1e-8
    else:
        disc.spatial_method = "DG"
        disc.polydeg = polydeg
        disc.nelem = max(1, nodes // (polydeg + 1))
        disc.exact_integration = 0
        disc.use_analytic_jacobian = 1

    m.root.input.model.unit_002.unit_type = "OUTLET"
    m.root.input.model.unit_002.ncomp = ncomp

    conn = m.root.input.model.connections
    conn.nswitches = 1
    conn.switch_000.section = 0
    conn.switch_000.connections = [0, 1, -1, -1, FLOW, 1, 2, -1, -1, FLOW]

    m.root.input.model.solver.gs_type = 1
    m.root.input.model.solver.max_krylov = 0
    m.root.input.model.solver.max_restarts = 10
    m.root.input.model.solver.schur_safety = 1e-8

    ret = m.root.input["return"]
    ret.split_components_data = 0
    ret.split_ports_data = 0
    ret.unit_001.write_solution_outlet = 1
    ret.unit_001.write_solution_bulk = 0
    ret.unit_001.write_solution_solid = 0

    solver = m.root.input.solver
    solver.nthreads = 1
    solver.user_solution_times = np.arange(0.0, sections[-1] + 1e-9, 10.0)
    solver.sections.nsec = nsec
    solver.sections.section_times = sections
    solver.sections.section_continuity = [0] * (nsec - 1)
    solver.time_integrator.abstol = abstol
    solver.time_integrator.algtol = 1e-10
    solver.time_integrator.reltol = reltol
    solver.time_integrator.init_step_size = 1e-6
    solver.time_integrator.max_steps = 1_000_000
    solver.consistent_init_mode = 1
    return m


class Timeout(Exception):
    pass


def solve(case, method, nodes, timeout=120, **kwargs):
    """Returns (times, c/c_feed at the outlet, CADET's own time_sim in s, process wall time in s).
    Raises Timeout when cadet-cli runs longer than `timeout` seconds."""
    cli = find_cadet_cli()
    Cadet.cadet_path = cli
    m = build(case, method, nodes, **kwargs)
    with tempfile.TemporaryDirectory() as tmp:
        m.filename = os.path.join(tmp, f"{case}_{method}_{nodes}.h5")
        m.save()
        start = time.perf_counter()
        # In its own process group: cadet-cli may be a wrapper whose solver child would outlive a plain kill
        # (seen: a timed-out DG solve kept a core busy for ten minutes after the benchmark ended).
        process = subprocess.Popen([cli, m.filename], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise Timeout(f"CADET {method} {nodes} on {case} ran over {timeout} s")
        done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"CADET failed for {case} {method} {nodes}: {done.stderr[-500:]}")
        m.load_from_file() if hasattr(m, "load_from_file") else m.load()
        times = np.asarray(m.root.output.solution.solution_times)
        # Li is the last component (after the chloride in the salt case).
        outlet = np.asarray(m.root.output.solution.unit_001.solution_outlet).reshape(len(times), -1)[:, -1]
        time_sim = float(np.asarray(m.root.meta.time_sim))
    return times, outlet / FEED, time_sim, wall


if __name__ == "__main__":
    import sys
    t, c, ts, wall = solve(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    print(len(t), c.max(), c[-1], ts, wall)
