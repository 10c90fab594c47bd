# tcm's synthetic toy set: python tools/dataset_converters/make_toy_dataset.py data/toy
toy_textdet_data_root = 'data/toy'

toy_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=toy_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

toy_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=toy_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
