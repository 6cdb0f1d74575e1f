// One whole training step of an HQNN in a single call: Linear(d -> n),
// the circuit (circuit.hpp), Linear(n -> C), log-softmax and mean NLL,
// their gradients, and Adam on every parameter (faqnas/evaluation/fused.py).
//
// A step of a small circuit in torch is ~40 dispatched operations and
// autograd nodes at a few µs each; here it is one call. Every sum runs in
// a fixed order (dot products through 16 fixed partial sums), so results
// do not depend on the vector width either.
//
// Layouts: the batch is rows[0..B) of the training set x (N, d) and its
// labels y (N), read in place; inside, activations are feature-major
// (features, B) so that loops over the batch vectorise.

#include <cmath>
#include <cstdlib>
#include <new>
#include <cstdint>
#include <limits>
#include <vector>

#include "circuit.hpp"

namespace {

using faqnas::Batch;

// Σ a_k b_k through 16 partial sums added pairwise: the same rounding
// whether the compiler keeps them in one 16-lane register, two 8-lane ones
// or none.
template <typename T>
inline T dot(const T* __restrict a, const T* __restrict b, int64_t len) {
    T acc[16] = {};
    int64_t k = 0;
    for (; k + 16 <= len; k += 16)
        for (int l = 0; l < 16; ++l) acc[l] += a[k + l] * b[k + l];
    for (int l = 0; k < len; ++k, ++l) acc[l] += a[k] * b[k];
    for (int width = 8; width >= 1; width /= 2)
        for (int l = 0; l < width; ++l) acc[l] += acc[l + width];
    return acc[0];
}

template <typename T>
inline T total(const T* a, int64_t len) {
    T sum = 0;
    for (int64_t k = 0; k < len; ++k) sum += a[k];
    return sum;
}

// Adam as torch.optim.Adam (no weight decay, no AMSGrad), bias corrections in double.
template <typename T>
void adam(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
          int64_t len, double step, double lr, double beta1, double beta2, double eps) {
    const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2);
    const T step_size = static_cast<T>(lr / (1 - std::pow(beta1, step)));
    const T root_bc2 = static_cast<T>(std::sqrt(1 - std::pow(beta2, step)));
    const T e = static_cast<T>(eps);
    for (int64_t k = 0; k < len; ++k) {
        m[k] = b1 * m[k] + (1 - b1) * g[k];
        v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
        p[k] -= step_size * m[k] / (std::sqrt(v[k]) / root_bc2 + e);
    }
}

// Scratch that outlives the call, so a warm step allocates nothing; aligned
// to cache lines like torch's tensors, or every vector load of a state row
// would straddle two lines.
template <typename T>
T* scratch(int slot, size_t size) {
    struct Buffer {
        T* data = nullptr;
        size_t size = 0;
        ~Buffer() { std::free(data); }
    };
    thread_local Buffer buffers[12];
    Buffer& b = buffers[slot];
    if (b.size < size) {
        std::free(b.data);
        const size_t bytes = (size * sizeof(T) + 63) / 64 * 64;
        b.data = static_cast<T*>(std::aligned_alloc(64, bytes));
        if (b.data == nullptr) throw std::bad_alloc();
        b.size = size;
    }
    return b.data;
}

enum Param { W1 = 0, B1 = 1, THETA = 2, W2 = 3, B2 = 4 };

template <typename T>
double step(int n, int n_ops, const int32_t* ops, int amplitude, int64_t d, int64_t classes,
            int64_t batch, const T* x, const int64_t* y, const int64_t* rows, T* const* params, T* const* exp_avg,
            T* const* exp_avg_sq, double step_count, double lr, double beta1, double beta2,
            double eps) {
    const int64_t dim = int64_t{1} << n;
    T *w1 = params[W1], *b1 = params[B1], *theta = params[THETA], *w2 = params[W2],
      *b2 = params[B2];
    // The circuit's weights the program reads. Those it leaves out (trailing
    // RZ layers) have zero gradient, so Adam would leave them as they are.
    const int64_t n_theta = [&] {
        int64_t count = 0;
        for (int i = 0; i < n_ops; ++i)
            if (ops[4 * i] <= faqnas::RZ) count = std::max<int64_t>(count, ops[4 * i + 3] + 1);
        return count;
    }();
    // The amplitude embedding evolves its basis states in 16 columns, as
    // BASIS_COLUMNS in faqnas/evaluation/simulator/native.py.
    const int64_t cols = amplitude ? 16 : batch;
    T* h = scratch<T>(0, n * batch);        // (n, B): Linear(d -> n)
    T* input = scratch<T>(1, n * batch);    // the circuit's input: h or h / |h|
    T* norm = scratch<T>(2, batch);
    T* state = scratch<T>(3, 2 * dim * cols);
    T* work = scratch<T>(4, 2 * dim * cols);
    T* probs = scratch<T>(5, dim * batch);  // (2^n, B), then its gradient
    T* q = scratch<T>(6, n * batch);        // (n, B): <Z_w>, then dL/dq
    T* o = scratch<T>(7, classes * batch);  // (C, B): logits, then dL/dlogits
    T* grads = scratch<T>(8, n * d + n + n_theta + classes * n + classes);
    T* g_input = scratch<T>(9, n * batch);
    std::vector<double> g_theta(n_theta);

    for (int i = 0; i < n; ++i)
        for (int64_t b = 0; b < batch; ++b)
            h[i * batch + b] = b1[i] + dot(w1 + i * d, x + rows[b] * d, d);
    if (amplitude) {
        for (int64_t b = 0; b < batch; ++b) {
            T sq = 0;
            for (int i = 0; i < n; ++i) sq += h[i * batch + b] * h[i * batch + b];
            norm[b] = std::sqrt(sq);
        }
        for (int i = 0; i < n; ++i)
            for (int64_t b = 0; b < batch; ++b) input[i * batch + b] = h[i * batch + b] / norm[b];
        std::fill(state, state + 2 * dim * cols, T(0));
        for (int i = 0; i < n; ++i) state[i * cols + i] = T(1);
    } else {
        std::copy(h, h + n * batch, input);
    }
    faqnas::forward<T>(n, n_ops, ops, theta, input, state, cols, batch, probs);

    // <Z_w> = Σ_j z_w(j) p_j, z_w(j) = ±1 by wire w's bit of j.
    std::fill(q, q + n * batch, T(0));
    for (int64_t j = 0; j < dim; ++j) {
        const T* __restrict p = probs + j * batch;
        for (int w = 0; w < n; ++w) {
            T* __restrict qw = q + w * batch;
            if (j >> (n - 1 - w) & 1) {
                for (int64_t b = 0; b < batch; ++b) qw[b] -= p[b];
            } else {
                for (int64_t b = 0; b < batch; ++b) qw[b] += p[b];
            }
        }
    }
    for (int64_t c = 0; c < classes; ++c) {
        T* __restrict oc = o + c * batch;
        for (int64_t b = 0; b < batch; ++b) oc[b] = b2[c];
        for (int w = 0; w < n; ++w) {
            const T weight = w2[c * n + w];
            const T* __restrict qw = q + w * batch;
            for (int64_t b = 0; b < batch; ++b) oc[b] += weight * qw[b];
        }
    }
    // Log-softmax over classes per sample, the loss, and dL/dlogits
    // = (softmax - onehot) / B, written over the logits.
    double loss = 0;
    for (int64_t b = 0; b < batch; ++b) {
        T top = -std::numeric_limits<T>::infinity();
        for (int64_t c = 0; c < classes; ++c) top = std::max(top, o[c * batch + b]);
        T sum = 0;
        for (int64_t c = 0; c < classes; ++c) sum += std::exp(o[c * batch + b] - top);
        const T log_sum = std::log(sum);
        for (int64_t c = 0; c < classes; ++c) {
            const T log_p = o[c * batch + b] - top - log_sum;
            const bool label = c == y[rows[b]];
            if (label) loss -= static_cast<double>(log_p);
            o[c * batch + b] = (std::exp(log_p) - (label ? T(1) : T(0))) / static_cast<T>(batch);
        }
    }
    loss /= static_cast<double>(batch);
    if (!std::isfinite(loss)) return loss;  // the caller stops; parameters untouched

    T* g_w1 = grads;
    T* g_b1 = g_w1 + n * d;
    T* g_th = g_b1 + n;
    T* g_w2 = g_th + n_theta;
    T* g_b2 = g_w2 + classes * n;
    for (int64_t c = 0; c < classes; ++c) {
        g_b2[c] = total(o + c * batch, batch);
        for (int w = 0; w < n; ++w) g_w2[c * n + w] = dot(o + c * batch, q + w * batch, batch);
    }
    // dL/dq (over q), then dL/dp_j = Σ_w z_w(j) dL/dq_w (over probs).
    for (int w = 0; w < n; ++w) {
        T* __restrict qw = q + w * batch;
        std::fill(qw, qw + batch, T(0));
        for (int64_t c = 0; c < classes; ++c) {
            const T weight = w2[c * n + w];
            const T* __restrict oc = o + c * batch;
            for (int64_t b = 0; b < batch; ++b) qw[b] += weight * oc[b];
        }
    }
    for (int64_t j = 0; j < dim; ++j) {
        T* __restrict p = probs + j * batch;
        std::fill(p, p + batch, T(0));
        for (int w = 0; w < n; ++w) {
            const T* __restrict qw = q + w * batch;
            if (j >> (n - 1 - w) & 1) {
                for (int64_t b = 0; b < batch; ++b) p[b] -= qw[b];
            } else {
                for (int64_t b = 0; b < batch; ++b) p[b] += qw[b];
            }
        }
    }
    faqnas::backward<T>(n, n_ops, ops, theta, input, state, cols, batch, probs, work,
                        g_theta.data(), g_input);
    for (int64_t k = 0; k < n_theta; ++k) g_th[k] = static_cast<T>(g_theta[k]);
    if (amplitude) {
        // Through v = h / |h|: the radial part of the gradient vanishes.
        for (int64_t b = 0; b < batch; ++b) {
            T radial = 0;
            for (int i = 0; i < n; ++i) radial += g_input[i * batch + b] * input[i * batch + b];
            for (int i = 0; i < n; ++i) {
                T& g = g_input[i * batch + b];
                g = (g - radial * input[i * batch + b]) / norm[b];
            }
        }
    }
    for (int i = 0; i < n; ++i) {
        const T* __restrict gh = g_input + i * batch;
        T* __restrict gw = g_w1 + i * d;
        std::fill(gw, gw + d, T(0));
        for (int64_t b = 0; b < batch; ++b) {
            const T scale = gh[b];
            const T* __restrict xb = x + rows[b] * d;
            for (int64_t k = 0; k < d; ++k) gw[k] += scale * xb[k];
        }
        g_b1[i] = total(gh, batch);
    }
    const int64_t sizes[5] = {n * d, n, n_theta, classes * n, classes};
    const T* param_grads[5] = {g_w1, g_b1, g_th, g_w2, g_b2};
    for (int k = 0; k < 5; ++k)
        adam(params[k], param_grads[k], exp_avg[k], exp_avg_sq[k], sizes[k], step_count, lr,
             beta1, beta2, eps);
    return loss;
}

}  // namespace

extern "C" {

double faqnas_step_f32(int n, int n_ops, const int32_t* ops, int amplitude, int64_t d,
                       int64_t classes, int64_t batch, const float* x, const int64_t* y,
                       const int64_t* rows, float* const* params, float* const* exp_avg,
                       float* const* exp_avg_sq, double step_count, double lr, double beta1,
                       double beta2, double eps) {
    return step<float>(n, n_ops, ops, amplitude, d, classes, batch, x, y, rows, params, exp_avg,
                       exp_avg_sq, step_count, lr, beta1, beta2, eps);
}

double faqnas_step_f64(int n, int n_ops, const int32_t* ops, int amplitude, int64_t d,
                       int64_t classes, int64_t batch, const double* x, const int64_t* y,
                       const int64_t* rows, double* const* params, double* const* exp_avg,
                       double* const* exp_avg_sq, double step_count, double lr, double beta1,
                       double beta2, double eps) {
    return step<double>(n, n_ops, ops, amplitude, d, classes, batch, x, y, rows, params, exp_avg,
                        exp_avg_sq, step_count, lr, beta1, beta2, eps);
}
}
