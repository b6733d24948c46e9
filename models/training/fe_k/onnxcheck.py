"""A small numpy evaluator for the ONNX graphs we export (python3-onnx 1.12 has no onnx.reference and Debian has
no onnxruntime for Python). It implements only the operators our fused graphs use and fails loudly on any other,
so `check` proves the exported graph computes what PyTorch computes (to float32 rounding)."""
import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, pads, strides, dil, group):
    assert group == 1 and all(s == 1 for s in strides) and all(d == 1 for d in dil)
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[1])))
    n, c, L = x.shape
    o, _, k = w.shape
    out_len = L - k + 1
    cols = np.stack([x[:, :, i:i + out_len] for i in range(k)], axis=-1)  # n c out k
    y = np.einsum("ncLk,ock->noL", cols, w)
    return y + (b[None, :, None] if b is not None else 0)


def _maxpool(x, k, s):
    n, c, L = x.shape
    out = (L - k) // s + 1
    return np.stack([x[:, :, i * s:i * s + k].max(-1) for i in range(out)], axis=-1)


def run(path, feeds):
    m = onnx.load(path)
    env = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    env.update(feeds)
    for node in m.graph.node:
        a = _attrs(node)
        i = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            r = numpy_helper.to_array(a["value"])
        elif op in ("Add", "Sub", "Mul", "Div", "Pow"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Pow": np.power}[op]
            r = f(i[0], i[1]).astype(i[0].dtype)
        elif op == "MatMul":
            r = i[0] @ i[1]
        elif op == "Gemm":
            A = i[0].T if a.get("transA", 0) else i[0]
            B = i[1].T if a.get("transB", 0) else i[1]
            r = a.get("alpha", 1.0) * (A @ B)
            if len(i) > 2 and i[2] is not None:
                r = r + a.get("beta", 1.0) * i[2]
        elif op == "Relu":
            r = np.maximum(i[0], 0)
        elif op == "Sigmoid":
            r = 1.0 / (1.0 + np.exp(-i[0]))
        elif op == "Softplus":
            r = np.logaddexp(0, i[0]).astype(i[0].dtype)
        elif op == "Sqrt":
            r = np.sqrt(i[0])
        elif op == "Exp":
            r = np.exp(i[0])
        elif op == "Transpose":
            r = np.transpose(i[0], a.get("perm"))
        elif op == "Softmax":
            ax = a.get("axis", -1)
            e = np.exp(i[0] - i[0].max(ax, keepdims=True))
            r = e / e.sum(ax, keepdims=True)
        elif op == "ReduceMean":
            r = i[0].mean(axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "ReduceSum":
            axes = tuple(i[1].tolist()) if len(i) > 1 and i[1] is not None else tuple(a.get("axes", []))
            r = i[0].sum(axis=axes or None, keepdims=bool(a.get("keepdims", 1)))
        elif op == "Unsqueeze":
            axes = i[1].tolist() if len(i) > 1 else a["axes"]
            r = i[0]
            for ax in sorted(axes):
                r = np.expand_dims(r, ax)
        elif op == "Squeeze":
            r = np.squeeze(i[0], axis=tuple(i[1].tolist()))
        elif op == "Concat":
            r = np.concatenate(i, axis=a["axis"])
        elif op == "Slice":
            starts, ends = i[1], i[2]
            axes = i[3] if len(i) > 3 and i[3] is not None else np.arange(len(starts))
            steps = i[4] if len(i) > 4 and i[4] is not None else np.ones(len(starts), dtype=np.int64)
            sl = [slice(None)] * i[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(min(e, 2 ** 62)), int(st))
            r = i[0][tuple(sl)]
        elif op == "Shape":
            r = np.array(i[0].shape, dtype=np.int64)
        elif op == "Gather":
            r = np.take(i[0], i[1], axis=a.get("axis", 0))
        elif op == "Reshape":
            shape = [d if d != 0 else i[0].shape[k] for k, d in enumerate(i[1].tolist())]
            r = i[0].reshape(shape)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            r = i[0].reshape(int(np.prod(i[0].shape[:ax])), -1)
        elif op == "Conv":
            k = len(i[1].shape) - 2
            assert k == 1
            r = _conv(i[0], i[1], i[2] if len(i) > 2 else None, a.get("pads", [0, 0]), a.get("strides", [1]),
                      a.get("dilations", [1]), a.get("group", 1))
        elif op == "MaxPool":
            r = _maxpool(i[0], a["kernel_shape"][0], a.get("strides", a["kernel_shape"])[0])
        elif op == "ArgMin":
            r = np.argmin(i[0], axis=a.get("axis", 0))
            if a.get("keepdims", 1):
                r = np.expand_dims(r, a.get("axis", 0))
            r = r.astype(np.int64)
        elif op == "Identity":
            r = i[0]
        else:
            raise NotImplementedError("onnxcheck: operator %s not implemented" % op)
        outs = r if isinstance(r, tuple) else (r,)
        for name, val in zip(node.output, outs):
            env[name] = np.asarray(val)
    return {o.name: env[o.name] for o in m.graph.output}


def describe(path):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    ins = [(t.name, [d.dim_param or d.dim_value for d in t.type.tensor_type.shape.dim]) for t in m.graph.input]
    outs = [(t.name, [d.dim_param or d.dim_value for d in t.type.tensor_type.shape.dim]) for t in m.graph.output]
    return {"opset": m.opset_import[0].version, "ops": ops, "inputs": ins, "outputs": outs}
