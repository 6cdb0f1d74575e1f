#pragma once

// Gate-by-gate evolution of a batch of states, and its adjoint: the circuit
// kernels of the `native` strategy (faqnas/evaluation/simulator/native.py)
// and of the fused training step (step.cpp).
//
// Layout. A batch of states is planar: re[row * cols + col] and im[...] for
// basis state `row` (wire 0 the most significant bit) and batch column
// `col`, so every gate's inner loop runs over contiguous columns and
// vectorises.
//
// Entanglers move no data. Logical basis state j lives in physical row
// map[j] with a sign sign[j] (a CNOT swaps map entries, a CZ flips signs);
// a rotation mixing logical rows j0 and j1 multiplies its off-diagonal
// entries by sign[j0] * sign[j1]. The frame is a pure function of the
// program, so the backward pass rebuilds the final frame instead of
// receiving it.
//
// Gradients (adjoint method). With ψ' = G(θ)ψ and G = exp(-iθP/2), a real
// loss has dL/dθ = ½ Im<c', P ψ'> for the cotangent c' of ψ' (torch's
// convention c = ∂L/∂Re + i ∂L/∂Im); then ψ = G†ψ' and c = G†c', so states
// are recomputed backwards instead of stored. For a cotangent in the
// physical layout, c_phys[map[j]] = sign[j] c[j].
//
// Floating point: built without -ffast-math and with -ffp-contract=off, so
// results do not depend on the vector width, and sums over the batch are
// taken in column order.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace faqnas {

// Operation codes of a program: rows of (kind, wire a, wire b, angle index).
enum Kind : int32_t {
    RX = 0,
    RY = 1,
    RZ = 2,
    EMBED_ANGLE = 3,  // the product state ⊗_w (cos φ_w, sin φ_w) from |0..0>; first op only
    CNOT = 4,         // control a, target b
    CZ = 5,
};

template <typename T>
struct Batch {
    T* re;
    T* im;
    int64_t cols;
    T* row_re(int64_t r) const { return re + r * cols; }
    T* row_im(int64_t r) const { return im + r * cols; }
};

struct Frame {
    std::vector<int64_t> map;
    std::vector<int8_t> sign;
    explicit Frame(int64_t dim) : map(dim), sign(dim, 1) {
        for (int64_t j = 0; j < dim; ++j) map[j] = j;
    }
};

inline int64_t wire_bit(int n, int32_t wire) { return int64_t{1} << (n - 1 - wire); }

// Logical index of the k-th pair's first member, for a gate on bit `bit`.
inline int64_t pair_first(int64_t k, int64_t bit) {
    return ((k & ~(bit - 1)) << 1) | (k & (bit - 1));
}

inline void entangle(Frame& f, int64_t dim, int32_t kind, int64_t bit_a, int64_t bit_b) {
    for (int64_t j = 0; j < dim; ++j) {
        if (!(j & bit_a)) continue;
        if (kind == CNOT) {
            if (!(j & bit_b)) {
                std::swap(f.map[j], f.map[j | bit_b]);
                std::swap(f.sign[j], f.sign[j | bit_b]);
            }
        } else if (j & bit_b) {
            f.sign[j] = -f.sign[j];
        }
    }
}

// R_P(θ) on one pair of amplitudes (x0 + i y0, x1 + i y1) with c = cos(θ/2)
// and s = σ sin(θ/2), σ the pair's sign product (RZ, diagonal, ignores σ);
// s < 0 gives G†. The one place the gates' matrices are written out.
template <typename T, int32_t KIND>
inline void rotate_amplitudes(T& x0, T& y0, T& x1, T& y1, T c, T s) {
    const T a = x0, b = y0, e = x1, g = y1;
    if (KIND == RX) {  // [[c, -is], [-is, c]]
        x0 = c * a + s * g;
        y0 = c * b - s * e;
        x1 = c * e + s * b;
        y1 = c * g - s * a;
    } else if (KIND == RY) {  // [[c, -s], [s, c]]
        x0 = c * a - s * e;
        y0 = c * b - s * g;
        x1 = s * a + c * e;
        y1 = s * b + c * g;
    } else {  // RZ: diag(c - is, c + is)
        x0 = c * a + s * b;
        y0 = c * b - s * a;
        x1 = c * e - s * g;
        y1 = c * g + s * e;
    }
}

// `rotate_amplitudes` on one pair of rows, every column.
template <typename T, int32_t KIND>
inline void rotate(T* __restrict r0, T* __restrict i0, T* __restrict r1, T* __restrict i1, T c,
                   T s, int64_t cols) {
    for (int64_t b = 0; b < cols; ++b) {
        T x0 = r0[b], y0 = i0[b], x1 = r1[b], y1 = i1[b];
        rotate_amplitudes<T, KIND>(x0, y0, x1, y1, c, s);
        r0[b] = x0;
        i0[b] = y0;
        r1[b] = x1;
        i1[b] = y1;
    }
}

template <typename T, int32_t KIND>
void rotate_all(const Batch<T>& st, const Frame& f, int64_t dim, int64_t bit, T c, T s) {
    for (int64_t k = 0; k < dim / 2; ++k) {
        const int64_t j0 = pair_first(k, bit), j1 = j0 | bit;
        const int64_t p0 = f.map[j0], p1 = f.map[j1];
        const T s_pair = KIND != RZ && f.sign[j0] != f.sign[j1] ? -s : s;
        rotate<T, KIND>(st.row_re(p0), st.row_im(p0), st.row_re(p1), st.row_im(p1), c, s_pair,
                        st.cols);
    }
}

template <typename T>
void apply_rotation(const Batch<T>& st, const Frame& f, int64_t dim, int64_t bit, int32_t kind,
                    T c, T s) {
    if (kind == RX) {
        rotate_all<T, RX>(st, f, dim, bit, c, s);
    } else if (kind == RY) {
        rotate_all<T, RY>(st, f, dim, bit, c, s);
    } else {
        rotate_all<T, RZ>(st, f, dim, bit, c, s);
    }
}

// One adjoint step on a pair of rows: adds Im<c, P ψ> (twice the angle's
// gradient) to acc[b], then applies G† to ψ and c (c_, s_ of G†, s_ with σ).
template <typename T, int32_t KIND>
inline void adjoint_pair(T* __restrict pr0, T* __restrict pi0, T* __restrict pr1,
                         T* __restrict pi1, T* __restrict cr0, T* __restrict ci0,
                         T* __restrict cr1, T* __restrict ci1, T c_, T s_, T sigma,
                         T* __restrict acc, int64_t cols) {
    for (int64_t b = 0; b < cols; ++b) {
        T x0 = pr0[b], y0 = pi0[b], x1 = pr1[b], y1 = pi1[b];
        T u0 = cr0[b], v0 = ci0[b], u1 = cr1[b], v1 = ci1[b];
        if (KIND == RX) {  // Im(c0* ψ1) + Im(c1* ψ0)
            acc[b] += sigma * ((u0 * y1 - v0 * x1) + (u1 * y0 - v1 * x0));
        } else if (KIND == RY) {  // Re(c1* ψ0) - Re(c0* ψ1)
            acc[b] += sigma * ((u1 * x0 + v1 * y0) - (u0 * x1 + v0 * y1));
        } else {  // Im(c0* ψ0) - Im(c1* ψ1)
            acc[b] += (u0 * y0 - v0 * x0) - (u1 * y1 - v1 * x1);
        }
        rotate_amplitudes<T, KIND>(x0, y0, x1, y1, c_, s_);
        rotate_amplitudes<T, KIND>(u0, v0, u1, v1, c_, s_);
        pr0[b] = x0;
        pi0[b] = y0;
        pr1[b] = x1;
        pi1[b] = y1;
        cr0[b] = u0;
        ci0[b] = v0;
        cr1[b] = u1;
        ci1[b] = v1;
    }
}

template <typename T, int32_t KIND>
void adjoint_all(const Batch<T>& psi, const Batch<T>& cot, const Frame& f, int64_t dim,
                 int64_t bit, T c_, T s_, T* acc) {
    for (int64_t k = 0; k < dim / 2; ++k) {
        const int64_t j0 = pair_first(k, bit), j1 = j0 | bit;
        const int64_t p0 = f.map[j0], p1 = f.map[j1];
        const bool flip = f.sign[j0] != f.sign[j1];
        const T sigma = flip ? T(-1) : T(1);
        const T s_pair = KIND != RZ && flip ? -s_ : s_;
        adjoint_pair<T, KIND>(psi.row_re(p0), psi.row_im(p0), psi.row_re(p1), psi.row_im(p1),
                              cot.row_re(p0), cot.row_im(p0), cot.row_re(p1), cot.row_im(p1),
                              c_, s_pair, sigma, acc, psi.cols);
    }
}

// ⊗_w (cos φ_w, sin φ_w), wire 0 the most significant: rows doubled wire by wire.
template <typename T>
void embed_angle(const Batch<T>& st, int n, const T* phi) {
    const int64_t cols = st.cols;
    std::fill(st.re, st.re + (int64_t{1} << n) * cols, T(0));
    std::fill(st.im, st.im + (int64_t{1} << n) * cols, T(0));
    T* row0 = st.row_re(0);
    for (int64_t b = 0; b < cols; ++b) row0[b] = T(1);
    std::vector<T> cw(cols), sw(cols);
    for (int w = 0; w < n; ++w) {
        const T* angles = phi + int64_t{w} * cols;
        for (int64_t b = 0; b < cols; ++b) {
            cw[b] = static_cast<T>(std::cos(static_cast<double>(angles[b])));
            sw[b] = static_cast<T>(std::sin(static_cast<double>(angles[b])));
        }
        // Rows of the first w wires sit at multiples of 2^(n-w); split each.
        const int64_t step = int64_t{1} << (n - w), half = step / 2;
        for (int64_t r = 0; r < (int64_t{1} << n); r += step) {
            T* __restrict a = st.row_re(r);
            T* __restrict z = st.row_re(r + half);
            for (int64_t b = 0; b < cols; ++b) {
                z[b] = a[b] * sw[b];
                a[b] = a[b] * cw[b];
            }
        }
    }
}

// Per-column dL/dφ_w of the product state: Re<c, ∂ψ/∂φ_w> = Im<c, Y_w ψ>
// (∂/∂φ (cos φ, sin φ) = -iY (cos φ, sin φ)); the state is real.
template <typename T>
void embed_angle_gradient(const Batch<T>& psi, const Batch<T>& cot, const Frame& f, int n,
                          T* grad) {
    const int64_t dim = int64_t{1} << n, cols = psi.cols;
    for (int w = 0; w < n; ++w) {
        const int64_t bit = wire_bit(n, w);
        T* __restrict g = grad + int64_t{w} * cols;
        std::fill(g, g + cols, T(0));
        for (int64_t k = 0; k < dim / 2; ++k) {
            const int64_t j0 = pair_first(k, bit), j1 = j0 | bit;
            const int64_t p0 = f.map[j0], p1 = f.map[j1];
            const T sigma = f.sign[j0] == f.sign[j1] ? T(1) : T(-1);
            const T* __restrict x0 = psi.row_re(p0);
            const T* __restrict x1 = psi.row_re(p1);
            const T* __restrict u0 = cot.row_re(p0);
            const T* __restrict u1 = cot.row_re(p1);
            // Re(c1* ψ0) - Re(c0* ψ1) with ψ real.
            for (int64_t b = 0; b < cols; ++b) g[b] += sigma * (u1[b] * x0[b] - u0[b] * x1[b]);
        }
    }
}

template <typename T>
void half_angle(double theta, double sign, T& c, T& s) {
    c = static_cast<T>(std::cos(theta / 2));
    s = static_cast<T>(sign * std::sin(theta / 2));
}

// The amplitude embedding's states ψ_b = Σ_i v_ib R_i for the final states
// R_i of the basis inputs |i> (columns of `st`): ψ of logical row j, whose
// physical row is p, for all B columns of v (n, B). Signs are left out:
// probabilities and the products below do not see them.
template <typename T>
inline void combine(const Batch<T>& st, int64_t p, const T* v, int n, int64_t batch, T* re,
                    T* im) {
    const T* __restrict rr = st.row_re(p);
    const T* __restrict ri = st.row_im(p);
    std::fill(re, re + batch, T(0));
    std::fill(im, im + batch, T(0));
    for (int i = 0; i < n; ++i) {
        const T* __restrict vi = v + int64_t{i} * batch;
        T* __restrict pr = re;
        T* __restrict pi = im;
        for (int64_t b = 0; b < batch; ++b) {
            pr[b] += rr[i] * vi[b];
            pi[b] += ri[i] * vi[b];
        }
    }
}

// Runs the program on `state` (2, 2^n, cols) in place, ending in the
// physical layout, and writes the probabilities (2^n, batch) of the final
// states in logical order. Angle embedding (the program starts with
// EMBED_ANGLE): cols = batch and input holds φ (n, batch). Amplitude: the
// columns of `state` start as the basis states |0>..|n-1> (more columns may
// follow, unused) and input holds the normalised inputs v (n, batch).
template <typename T>
void forward(int n, int n_ops, const int32_t* ops, const T* weights, const T* input, T* state,
             int64_t cols, int64_t batch, T* probs) {
    const int64_t dim = int64_t{1} << n;
    Batch<T> st{state, state + dim * cols, cols};
    Frame f(dim);
    const bool angle = n_ops > 0 && ops[0] == EMBED_ANGLE;
    for (int i = 0; i < n_ops; ++i) {
        const int32_t* op = ops + 4 * i;
        if (op[0] == EMBED_ANGLE) {
            embed_angle<T>(st, n, input);
        } else if (op[0] == CNOT || op[0] == CZ) {
            entangle(f, dim, op[0], wire_bit(n, op[1]), wire_bit(n, op[2]));
        } else {
            T c, s;
            half_angle(static_cast<double>(weights[op[3]]), 1.0, c, s);
            apply_rotation<T>(st, f, dim, wire_bit(n, op[1]), op[0], c, s);
        }
    }
    std::vector<T> re(batch), im(batch);
    for (int64_t j = 0; j < dim; ++j) {
        const T* __restrict sr = st.row_re(f.map[j]);
        const T* __restrict si = st.row_im(f.map[j]);
        if (!angle) {
            combine<T>(st, f.map[j], input, n, batch, re.data(), im.data());
            sr = re.data();
            si = im.data();
        }
        T* __restrict p = probs + j * batch;
        for (int64_t b = 0; b < batch; ++b) p[b] = sr[b] * sr[b] + si[b] * si[b];
    }
}

// state: `forward`'s final physical states, overwritten; grad_probs: dL/d
// of its probabilities (2^n, batch); work: scratch shaped like state.
// Writes dL/dweights (the indices the program reads, in double) and dL/d
// input (n, batch): φ for the angle embedding, v for the amplitude one.
template <typename T>
void backward(int n, int n_ops, const int32_t* ops, const T* weights, const T* input, T* state,
              int64_t cols, int64_t batch, const T* grad_probs, T* work, double* grad_weights,
              T* grad_input) {
    const int64_t dim = int64_t{1} << n;
    Batch<T> psi{state, state + dim * cols, cols};
    Batch<T> cot{work, work + dim * cols, cols};
    Frame f(dim);
    const bool angle = n_ops > 0 && ops[0] == EMBED_ANGLE;
    for (int i = 0; i < n_ops; ++i) {
        const int32_t* op = ops + 4 * i;
        if (op[0] == CNOT || op[0] == CZ)
            entangle(f, dim, op[0], wire_bit(n, op[1]), wire_bit(n, op[2]));
    }
    // Cotangent of the final states: p_j = |ψ_j|² gives c_j = 2 ψ_j dL/dp_j
    // (in physical rows, where the signs cancel); for the amplitude
    // embedding, through ψ_b = Σ_i v_ib R_i also that of R and of v.
    std::vector<T> re(batch), im(batch), v_t;
    if (!angle) {
        std::fill(grad_input, grad_input + n * batch, T(0));
        v_t.assign(batch * cols, T(0));
        for (int i = 0; i < n; ++i)
            for (int64_t b = 0; b < batch; ++b) v_t[b * cols + i] = input[i * batch + b];
    }
    for (int64_t j = 0; j < dim; ++j) {
        const int64_t p = f.map[j];
        const T* __restrict g = grad_probs + j * batch;
        T* __restrict cr = cot.row_re(p);
        T* __restrict ci = cot.row_im(p);
        if (angle) {
            const T* __restrict sr = psi.row_re(p);
            const T* __restrict si = psi.row_im(p);
            for (int64_t b = 0; b < batch; ++b) {
                cr[b] = 2 * g[b] * sr[b];
                ci[b] = 2 * g[b] * si[b];
            }
            continue;
        }
        combine<T>(psi, p, input, n, batch, re.data(), im.data());
        for (int64_t b = 0; b < batch; ++b) {
            re[b] = 2 * g[b] * re[b];
            im[b] = 2 * g[b] * im[b];
        }
        std::fill(cr, cr + cols, T(0));
        std::fill(ci, ci + cols, T(0));
        for (int64_t b = 0; b < batch; ++b) {
            const T* __restrict vb = v_t.data() + b * cols;
            const T dr = re[b], di = im[b];
            for (int64_t i = 0; i < cols; ++i) {
                cr[i] += dr * vb[i];
                ci[i] += di * vb[i];
            }
        }
        const T* __restrict rr = psi.row_re(p);
        const T* __restrict ri = psi.row_im(p);
        for (int i = 0; i < n; ++i) {
            T* __restrict gv = grad_input + int64_t{i} * batch;
            const T a = rr[i], c = ri[i];
            for (int64_t b = 0; b < batch; ++b) gv[b] += a * re[b] + c * im[b];
        }
    }
    std::vector<T> acc(cols);
    for (int i = n_ops - 1; i >= 0; --i) {
        const int32_t* op = ops + 4 * i;
        const int32_t kind = op[0];
        if (kind == EMBED_ANGLE) {
            embed_angle_gradient<T>(psi, cot, f, n, grad_input);
            continue;
        }
        if (kind == CNOT || kind == CZ) {
            entangle(f, dim, kind, wire_bit(n, op[1]), wire_bit(n, op[2]));
            continue;
        }
        const int64_t bit = wire_bit(n, op[1]);
        T c, s;
        half_angle(static_cast<double>(weights[op[3]]), -1.0, c, s);
        std::fill(acc.begin(), acc.end(), T(0));
        if (kind == RX) {
            adjoint_all<T, RX>(psi, cot, f, dim, bit, c, s, acc.data());
        } else if (kind == RY) {
            adjoint_all<T, RY>(psi, cot, f, dim, bit, c, s, acc.data());
        } else {
            adjoint_all<T, RZ>(psi, cot, f, dim, bit, c, s, acc.data());
        }
        double total = 0;
        for (int64_t b = 0; b < cols; ++b) total += static_cast<double>(acc[b]);
        grad_weights[op[3]] = total / 2;
    }
}

}  // namespace faqnas

