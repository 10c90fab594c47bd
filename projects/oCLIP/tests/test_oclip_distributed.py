"""The contrastive loss over two real processes (gloo) equals the one-process loss on their
joint batch, and its gradients reach each rank's own features only."""
import pytest
import torch

from builders import on_two_gloo_ranks

pytestmark = pytest.mark.slow


def _features():
    g = torch.Generator().manual_seed(0)
    image = torch.nn.functional.normalize(torch.randn(6, 8, generator=g), dim=-1)
    text = torch.nn.functional.normalize(torch.randn(6, 8, generator=g), dim=-1)
    return image, text, torch.tensor(2.0)


def _rank(rank, port, results):
    import torch.distributed as dist
    from oclip.models.losses import contrastive_loss
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=2)
    try:
        image, text, scale = _features()
        mine = slice(3 * rank, 3 * rank + 3)
        local_image = image[mine].clone().requires_grad_()
        local_text = text[mine].clone().requires_grad_()
        loss = contrastive_loss(local_image, local_text, scale)
        loss.backward()
        # NumPy copies, pickled by value: a tensor would travel as a file descriptor that the
        # parent can only open while this process lives
        results.put((rank, loss.item(), local_image.grad.numpy(), local_text.grad.numpy()))
    finally:
        dist.destroy_process_group()


def test_gathered_loss_is_the_joint_batchs():
    from oclip.models.losses import contrastive_loss
    said = {r: (loss, gi, gt) for r, loss, gi, gt in on_two_gloo_ranks(_rank)}
    image, text, scale = _features()
    image.requires_grad_(), text.requires_grad_()
    joint = contrastive_loss(image, text, scale)
    joint.backward()
    for rank in (0, 1):
        loss, grad_image, grad_text = said[rank]
        assert loss == pytest.approx(float(joint), rel=1e-6)
        # the joint gradient of its own rows: what DDP needs (the gathered copies carry none)
        mine = slice(3 * rank, 3 * rank + 3)
        torch.testing.assert_close(
            torch.from_numpy(grad_image), image.grad[mine], rtol=1e-5, atol=1e-7)
        torch.testing.assert_close(
            torch.from_numpy(grad_text), text.grad[mine], rtol=1e-5, atol=1e-7)
