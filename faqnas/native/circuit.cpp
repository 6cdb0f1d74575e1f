// The circuit kernels of circuit.hpp for ctypes (faqnas/evaluation/simulator/native.py).

#include "circuit.hpp"

using faqnas::backward;
using faqnas::forward;

extern "C" {

void faqnas_forward_f32(int n, int n_ops, const int32_t* ops, const float* w, const float* input,
                        float* state, int64_t cols, int64_t batch, float* probs) {
    forward<float>(n, n_ops, ops, w, input, state, cols, batch, probs);
}

void faqnas_forward_f64(int n, int n_ops, const int32_t* ops, const double* w,
                        const double* input, double* state, int64_t cols, int64_t batch,
                        double* probs) {
    forward<double>(n, n_ops, ops, w, input, state, cols, batch, probs);
}

void faqnas_backward_f32(int n, int n_ops, const int32_t* ops, const float* w, const float* input,
                         float* state, int64_t cols, int64_t batch, const float* grad_probs,
                         float* work, double* grad_w, float* grad_input) {
    backward<float>(n, n_ops, ops, w, input, state, cols, batch, grad_probs, work, grad_w,
                    grad_input);
}

void faqnas_backward_f64(int n, int n_ops, const int32_t* ops, const double* w,
                         const double* input, double* state, int64_t cols, int64_t batch,
                         const double* grad_probs, double* work, double* grad_w,
                         double* grad_input) {
    backward<double>(n, n_ops, ops, w, input, state, cols, batch, grad_probs, work, grad_w,
                     grad_input);
}
}
