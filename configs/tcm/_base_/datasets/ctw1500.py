# CTW1500 in the layout MMOCR's dataset preparer writes
# (python tools/dataset_converters/prepare_dataset.py ctw1500 --task textdet in MMOCR),
# read by CheckedOCRDataset: bad annotations and images are reported by name.
ctw1500_textdet_data_root = 'data/ctw1500'
__ctw1500 = dict(type='CheckedOCRDataset', data_root=ctw1500_textdet_data_root)
ctw1500_textdet_train = dict(
    __ctw1500, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
ctw1500_textdet_test = dict(__ctw1500, ann_file='textdet_test.json', test_mode=True)
