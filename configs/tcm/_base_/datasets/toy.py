# tcm's synthetic toy set: python tools/dataset_converters/make_toy_dataset.py data/toy
toy_textdet_data_root = 'data/toy'
__toy = dict(type='CheckedOCRDataset', data_root=toy_textdet_data_root)
toy_textdet_train = dict(
    __toy, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
toy_textdet_test = dict(__toy, ann_file='textdet_test.json', test_mode=True)
