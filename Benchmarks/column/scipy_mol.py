"""The column-dle-v1 cases (and the salt case) as a user would write them in SciPy: method of lines with a van Leer
limited upwind scheme, Danckwerts boundaries, solve_ivp(BDF) with a banded sparsity pattern."""
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.sparse import diags

from cadet_cases import CASES, D_AX, FEED, GAMMA, K_A, K_D, K_L, K_L0, K_LDF, LENGTH, QMAX, U_S, VOIDAGE, inlet


def transport(c, c_in, cells, dispersion):
    """Net convective-dispersive flux into each cell per unit length (van Leer, Danckwerts inlet)."""
    h = LENGTH / cells
    v = U_S / VOIDAGE
    # Danckwerts inlet: boundary value from v c_in = v c_b − D (c_0 − c_b)/(h/2).
    beta = 2 * dispersion / (v * h)
    cb = (c_in + beta * c[0]) / (1 + beta)
    ext = np.concatenate(([2 * cb - c[0]], c, [2 * c[-1] - c[-2]]))
    a = ext[1:-1] - ext[:-2]
    b = ext[2:] - ext[1:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(a * b > 0, 2 * a * b / (a + b), 0.0)  # van Leer
    face = ext[1:-1] + 0.5 * slope                          # faces 1/2 … N−1/2
    flux = v * face
    flux[:-1] -= dispersion * (c[1:] - c[:-1]) / h
    left = np.concatenate(([v * c_in], flux[:-1]))
    return (left - flux) / h


def rhs_factory(case, cells, c_in):
    binding, dispersion, _ = CASES[case]
    F = (1 - VOIDAGE) / VOIDAGE

    def rhs(t, y):
        if binding == "mpm":
            # Chloride (no binding), Li and its loading: K(c_s) = K_0 e^{γ c_s} (the salt case).
            s, c, q = y[:cells], y[cells:2 * cells], y[2 * cells:]
            dq = K_L0 * K_D * np.exp(GAMMA * np.maximum(s, 0)) * c * (QMAX - q) - K_D * q
            return np.concatenate((transport(s, c_in[0], cells, dispersion),
                                   transport(c, c_in[1], cells, dispersion) - F * dq, dq))
        c, q = y[:cells], y[cells:]
        if binding == "kinetic":
            dq = K_A * c * (QMAX - q) - K_D * q
        elif binding == "ldf":
            dq = K_LDF * (QMAX * K_L * c / (1 + K_L * c) - q)
        else:
            dq = np.zeros_like(q)
        return np.concatenate((transport(c, c_in[0], cells, dispersion) - F * dq, dq))

    return rhs


def solve(case, cells=100, rtol=1e-6, atol=1e-8 * FEED):
    """Returns (times, c/c_feed at the outlet, wall time in s)."""
    binding, _, sections = CASES[case]
    # Sparsity: c couples to c (two upstream, one downstream) and to q of its cell; q to c, q; in the salt
    # case Li and its loading also to the chloride of their cell.
    offsets = [-2, -1, 0, 1]
    block = diags([np.ones(cells - abs(k)) for k in offsets], offsets).toarray()
    eye, zero = np.eye(cells), np.zeros((cells, cells))
    if binding == "mpm":
        pattern = np.block([[block, zero, zero], [eye, block, eye], [eye, eye, eye]])
    else:
        pattern = np.block([[block, eye], [eye, eye]])
    n = pattern.shape[0]
    li = cells if binding == "mpm" else 0  # where Li's liquid starts in the state
    y = np.zeros(n)
    times, outlet = [], []
    start = time.perf_counter()
    for s in range(len(sections) - 1):
        c_in = inlet(case, s)
        t_eval = np.arange(sections[s] + 10.0, sections[s + 1] + 1e-9, 10.0)
        sol = solve_ivp(rhs_factory(case, cells, c_in), (sections[s], sections[s + 1]), y, method="BDF",
                        t_eval=t_eval, rtol=rtol, atol=atol, jac_sparsity=pattern)
        if not sol.success:
            raise RuntimeError(sol.message)
        y = sol.y[:, -1]
        c = sol.y[li:li + cells]
        # Outlet value: the limited face value at z = L (zero-gradient ghost beyond).
        times.extend(sol.t)
        outlet.extend(c[-1] + 0.5 * (c[-1] - c[-2]))
    wall = time.perf_counter() - start
    return np.array(times), np.array(outlet) / FEED, wall


if __name__ == "__main__":
    import sys
    t, c, w = solve(sys.argv[1], int(sys.argv[2]))
    print(len(t), c.max(), w)
