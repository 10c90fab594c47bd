# SynthText in the layout MMOCR's dataset preparer writes (training split only),
# read by CheckedOCRDataset: bad annotations and images are reported by name.
synthtext_textdet_data_root = 'data/synthtext'
__synthtext = dict(type='CheckedOCRDataset', data_root=synthtext_textdet_data_root)
synthtext_textdet_train = dict(
    __synthtext, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
