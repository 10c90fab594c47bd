# NightTime-ArT (night-time images collected from ICDAR2019-ArT, released with TCM) as a test
# set. It ships COCO-style MMOCR 0.x annotations, which MMOCR 1.x reads with IcdarDataset:
# data/nighttime_art/{test_images/, test_gts/gt_jsons/instances_all_test.json}.
nighttime_art_textdet_data_root = 'data/nighttime_art'

nighttime_art_textdet_test = dict(
    type='IcdarDataset',
    data_root=nighttime_art_textdet_data_root,
    ann_file='test_gts/gt_jsons/instances_all_test.json',
    data_prefix=dict(img_path='test_images/'),
    test_mode=True,
    pipeline=None)
