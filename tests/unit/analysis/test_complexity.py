"""The FLOP count includes attention's matrix products, which MMEngine's counter skips."""
import torch
import torch.nn.functional as F
from torch import nn

from tcm.analysis.complexity import attention_flops


class Attention(nn.Module):

    def forward(self, q, k, v):
        return F.scaled_dot_product_attention(q, k, v)


def test_attention_counts_both_matrix_products():
    from mmengine.analysis import FlopAnalyzer
    q, k, v = torch.randn(2, 4, 10, 8), torch.randn(2, 4, 6, 8), torch.randn(2, 4, 6, 5)
    analyzer = FlopAnalyzer(Attention(), inputs=(q, k, v))
    analyzer.unsupported_ops_warnings(False)
    assert analyzer.total() == 0  # what MMEngine counts alone
    analyzer = FlopAnalyzer(Attention(), inputs=(q, k, v))
    analyzer.set_op_handle('aten::scaled_dot_product_attention', attention_flops)
    assert analyzer.total() == 2 * 4 * 10 * 6 * 8 + 2 * 4 * 10 * 6 * 5  # q k^T, then (.) v
