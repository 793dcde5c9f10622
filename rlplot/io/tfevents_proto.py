"""The protobuf messages of a TensorBoard event file, owned by rlplot and built at import.

Field numbers and types follow TensorBoard's ``event.proto``, ``summary.proto``,
``tensor.proto``, ``tensor_shape.proto`` and the hparams plugin's ``plugin_data.proto``
(package ``tensorboard``), so the wire format is the one TensorFlow, tensorboardX and
``torch.utils.tensorboard`` write. Only what rlplot reads is spelled out. Every payload
rlplot never reads (graphs, images, histograms, audio, run metadata, log messages) is
declared as ``bytes``: the wire format of a sub-message and of a byte string is the same,
so protobuf skips over them without decoding them. A summary's tensor is ``bytes`` too
and is decoded (as ``TensorProto``) only for tags of the scalars plugin.

Building the descriptors in Python keeps rlplot free of generated ``_pb2`` files and of
the ``tensorboard`` package: the only dependency is ``protobuf`` itself.
"""
from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, struct_pb2

_PACKAGE = "rlplot.tfevents"
_T = descriptor_pb2.FieldDescriptorProto
_SCALAR_TYPES = {
    "double": _T.TYPE_DOUBLE, "float": _T.TYPE_FLOAT, "int64": _T.TYPE_INT64,
    "uint64": _T.TYPE_UINT64, "int32": _T.TYPE_INT32, "uint32": _T.TYPE_UINT32,
    "bool": _T.TYPE_BOOL, "string": _T.TYPE_STRING, "bytes": _T.TYPE_BYTES,
}

# message -> fields as (name, number, type, oneof or "repeated" or ""); a type that is not a
# scalar type names a message (".x.Y" is fully qualified). Enums (DataType, DataClass) are
# read as int32: proto3 enums are open and share the varint encoding.
_MESSAGES: dict[str, list[tuple[str, int, str, str]]] = {
    "Event": [
        ("wall_time", 1, "double", ""),
        ("step", 2, "int64", ""),
        ("file_version", 3, "string", "what"),
        ("graph_def", 4, "bytes", "what"),
        ("summary", 5, "Summary", "what"),
        ("log_message", 6, "bytes", "what"),
        ("session_log", 7, "bytes", "what"),
        ("tagged_run_metadata", 8, "bytes", "what"),
        ("meta_graph_def", 9, "bytes", "what"),
        ("source_metadata", 10, "bytes", ""),
    ],
    "Summary": [("value", 1, "SummaryValue", "repeated")],
    "SummaryValue": [   # tensorboard.Summary.Value
        ("tag", 1, "string", ""),
        ("node_name", 7, "string", ""),
        ("metadata", 9, "SummaryMetadata", ""),
        ("simple_value", 2, "float", "value"),
        ("obsolete_old_style_histogram", 3, "bytes", "value"),
        ("image", 4, "bytes", "value"),
        ("histo", 5, "bytes", "value"),
        ("audio", 6, "bytes", "value"),
        ("tensor", 8, "bytes", "value"),   # a TensorProto, decoded only for scalar tags
    ],
    "SummaryMetadata": [
        ("plugin_data", 1, "PluginData", ""),
        ("display_name", 2, "string", ""),
        ("summary_description", 3, "string", ""),
        ("data_class", 4, "int32", ""),
    ],
    "PluginData": [("plugin_name", 1, "string", ""), ("content", 2, "bytes", "")],
    "TensorProto": [
        ("dtype", 1, "int32", ""),
        ("tensor_shape", 2, "TensorShapeProto", ""),
        ("tensor_content", 4, "bytes", ""),
        ("half_val", 13, "int32", "repeated"),
        ("float_val", 5, "float", "repeated"),
        ("double_val", 6, "double", "repeated"),
        ("int_val", 7, "int32", "repeated"),
        ("int64_val", 10, "int64", "repeated"),
        ("bool_val", 11, "bool", "repeated"),
        ("uint32_val", 16, "uint32", "repeated"),
        ("uint64_val", 17, "uint64", "repeated"),
    ],
    "TensorShapeProto": [("dim", 2, "Dim", "repeated"), ("unknown_rank", 3, "bool", "")],
    "Dim": [("size", 1, "int64", ""), ("name", 2, "string", "")],
    # tensorboard.hparams.HParamsPluginData: the content of an "hparams" plugin summary.
    "HParamsPluginData": [
        ("version", 1, "int32", ""),
        ("experiment", 2, "bytes", "data"),
        ("session_start_info", 3, "SessionStartInfo", "data"),
        ("session_end_info", 4, "bytes", "data"),
    ],
    "SessionStartInfo": [
        # map<string, google.protobuf.Value>: on the wire, a repeated (key, value) message
        ("hparams", 1, "HparamsEntry", "repeated"),
        ("model_uri", 2, "string", ""),
        ("monitor_url", 3, "string", ""),
        ("group_name", 4, "string", ""),
        ("start_time_secs", 5, "double", ""),
    ],
    "HparamsEntry": [("key", 1, "string", ""), ("value", 2, ".google.protobuf.Value", "")],
}


def _field(name: str, number: int, kind: str, extra: str, oneofs: list[str]) -> _T:
    field = _T(name=name, number=number, json_name=name)
    field.label = _T.LABEL_REPEATED if extra == "repeated" else _T.LABEL_OPTIONAL
    if kind in _SCALAR_TYPES:
        field.type = _SCALAR_TYPES[kind]
    else:
        field.type = _T.TYPE_MESSAGE
        field.type_name = kind if kind.startswith(".") else f".{_PACKAGE}.{kind}"
    if extra not in ("", "repeated"):
        if extra not in oneofs:
            oneofs.append(extra)
        field.oneof_index = oneofs.index(extra)
    return field


def _file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="rlplot/tfevents.proto", package=_PACKAGE, syntax="proto3",
        dependency=["google/protobuf/struct.proto"])
    for message, fields in _MESSAGES.items():
        described = proto.message_type.add(name=message)
        oneofs: list[str] = []
        described.field.extend(_field(*spec, oneofs) for spec in fields)
        described.oneof_decl.extend(descriptor_pb2.OneofDescriptorProto(name=o) for o in oneofs)
    return proto


def _classes() -> dict[str, type]:
    pool = descriptor_pool.DescriptorPool()
    struct_file = descriptor_pb2.FileDescriptorProto()
    struct_pb2.DESCRIPTOR.CopyToProto(struct_file)
    pool.Add(struct_file)
    pool.Add(_file())
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
            for name in _MESSAGES}


_CLASSES = _classes()
Event = _CLASSES["Event"]
SummaryValue = _CLASSES["SummaryValue"]
TensorProto = _CLASSES["TensorProto"]
HParamsPluginData = _CLASSES["HParamsPluginData"]
